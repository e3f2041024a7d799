package io.samboot;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import io.samboot.SamSettings.InvalidSettingException;

/**
 * The one rule for where the supervisor's HTTP liveness check may go: plain {@code http}
 * to a loopback address of this host. The check is the instance's own web server seen
 * from its node, as a liveness probe sees it; anything else would let a setting make the
 * supervisor send requests into the network.
 */
public final class LoopbackHttpUrl {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private LoopbackHttpUrl() {
	}

	/**
	 * The URL, checked.
	 * @param property the setting it came from (without {@code sam.}), for the error
	 * @throws InvalidSettingException if it is not an {@code http} URL on a loopback
	 * address
	 */
	public static URI check(String property, String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new InvalidSettingException(property, url,
					"it is not a URL (" + ex.getReason() + "); use http://127.0.0.1:<port>/<path>");
		}
		if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() == 0) {
			throw new InvalidSettingException(property, url,
					"the check is plain HTTP to this host; use http://127.0.0.1:<port>/<path>");
		}
		if (!isLoopback(uri.getHost())) {
			throw new InvalidSettingException(property, url, "the supervisor only checks its own instance over"
					+ " loopback; use 127.0.0.1, [::1] or localhost as the host");
		}
		return uri;
	}

	private static boolean isLoopback(String host) {
		if (host.equalsIgnoreCase("localhost")) {
			return true;
		}
		boolean ipv4 = IPV4.matcher(host).matches();
		boolean ipv6 = host.startsWith("[") && host.endsWith("]") && host.length() > 2
				&& host.substring(1, host.length() - 1)
					.chars()
					.allMatch((c) -> Character.digit(c, 16) >= 0 || c == ':');
		if (!ipv4 && !ipv6) {
			// Only literals, written in full: a name (or a short form such as 127.1)
			// would need a lookup, which could answer anything.
			return false;
		}
		try {
			return InetAddress.getByName(ipv6 ? host.substring(1, host.length() - 1) : host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
