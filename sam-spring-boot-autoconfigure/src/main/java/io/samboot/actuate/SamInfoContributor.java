package io.samboot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.samboot.SamClient;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * The {@code sam} entry of {@code /actuator/info}: {@code instanceId},
 * {@code supervisorPid} ({@code -1} when unsupervised), {@code restartCount},
 * {@code state} and {@code supervised}.
 */
public class SamInfoContributor implements InfoContributor {

	private final SamClient client;

	public SamInfoContributor(SamClient client) {
		this.client = client;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Map<String, Object> sam = new LinkedHashMap<>();
		try {
			sam.put("instanceId", this.client.instanceId());
			sam.put("supervisorPid", this.client.status().supervisorPid());
			sam.put("restartCount", this.client.restartCount());
			sam.put("state", this.client.state().id());
			sam.put("supervised", this.client.supervised());
		}
		catch (RuntimeException ex) {
			// Not initialized yet, or closed: what is known so far.
			sam.put("error", ex.getMessage());
		}
		builder.withDetail("sam", sam);
	}

}
