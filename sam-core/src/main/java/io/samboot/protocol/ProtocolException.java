package io.samboot.protocol;

import java.io.IOException;

/** Bytes on the control channel that do not form a valid frame or message. */
public class ProtocolException extends IOException {

	private static final long serialVersionUID = 1L;

	public ProtocolException(String message) {
		super(message);
	}

}
