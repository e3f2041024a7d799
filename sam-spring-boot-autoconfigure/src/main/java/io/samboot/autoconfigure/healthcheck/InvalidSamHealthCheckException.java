package io.samboot.autoconfigure.healthcheck;

import java.lang.reflect.Method;

/**
 * A {@link io.samboot.SamHealthCheck @SamHealthCheck} method that cannot be used as a
 * health check, with the method and why. Thrown at start-up, when the bean that declares
 * it is created.
 */
public class InvalidSamHealthCheckException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String beanName;

	private final transient Method method;

	private final String reason;

	public InvalidSamHealthCheckException(String beanName, Method method, String reason) {
		super("@SamHealthCheck method " + method.toGenericString() + " of bean '" + beanName + "' " + reason);
		this.beanName = beanName;
		this.method = method;
		this.reason = reason;
	}

	/** The name of the bean that declares the method. */
	public String getBeanName() {
		return this.beanName;
	}

	/** The annotated method. */
	public Method getMethod() {
		return this.method;
	}

	/** Why it cannot be used, e.g. "must not take arguments". */
	public String getReason() {
		return this.reason;
	}

}
