package io.samboot.autoconfigure;

import io.samboot.SamSettings.InvalidSettingException;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginProvider;
import org.springframework.core.env.Environment;

/**
 * A {@code sam.*} value SAM's own checks refuse, with the value as the user wrote it and
 * its {@link Origin} (a file and line, an environment variable, a command-line argument),
 * as Spring Boot reports a value it cannot bind. The refusal itself is the cause, an
 * {@link InvalidSettingException}; {@link SamConfigurationFailureAnalyzer} explains both.
 */
public class InvalidSamPropertyException extends IllegalArgumentException implements OriginProvider {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String value;

	private final transient Origin origin;

	InvalidSamPropertyException(InvalidSettingException cause, String value, Origin origin) {
		super(cause.getMessage() + ((origin != null) ? " (from " + origin + ")" : ""), cause);
		this.property = cause.property();
		this.value = value;
		this.origin = origin;
	}

	/**
	 * Finds where the refused property was set: the first property source that has it, as
	 * Spring Boot's binder reads them.
	 */
	static InvalidSamPropertyException locate(InvalidSettingException refused, Environment environment) {
		ConfigurationProperty property = find(refused.property(), environment);
		if (property == null) {
			// A default, or a rule between two properties about the one not set.
			return new InvalidSamPropertyException(refused, refused.value(), null);
		}
		Object written = property.getValue();
		return new InvalidSamPropertyException(refused, (written != null) ? written.toString() : refused.value(),
				property.getOrigin());
	}

	static ConfigurationProperty find(String property, Environment environment) {
		if (!ConfigurationPropertyName.isValid(property)) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	/** The full property name, e.g. {@code sam.restart.max-restarts}. */
	public String getProperty() {
		return this.property;
	}

	/** The value as written where it was set. */
	public String getValue() {
		return this.value;
	}

	/** Where the value was set, or {@code null} when SAM's default was refused. */
	@Override
	public Origin getOrigin() {
		return this.origin;
	}

	/** The refusal: SAM's reason and fix. */
	public InvalidSettingException getRefusal() {
		return (InvalidSettingException) getCause();
	}

}
