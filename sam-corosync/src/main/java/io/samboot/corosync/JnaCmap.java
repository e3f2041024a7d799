package io.samboot.corosync;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * {@link CmapLibrary} through JNA: {@code libcmap.so.4} (corosync 3). Used only from
 * {@link NativeThreads} threads, as every corosync client call.
 */
final class JnaCmap implements CmapLibrary {

	private static final int CS_OK = 1;

	private static final int CS_ERR_NOT_EXIST = 12;

	private static final int CS_ERR_NO_SECTIONS = 27;

	/** {@code CMAP_KEYNAME_MAXLEN}; {@code cmap_iter_next} wants one byte more. */
	private static final int KEYNAME_MAXLEN = 255;

	private static final int VALUETYPE_UINT64 = 8;

	private static final int VALUETYPE_STRING = 11;

	private static final String[] TYPE_NAMES = { "?", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "flt",
			"dbl", "str", "bin" };

	private static final String[] SYMBOLS = { "cmap_initialize", "cmap_finalize", "cmap_set_string", "cmap_set_uint64",
			"cmap_delete", "cmap_get", "cmap_iter_init", "cmap_iter_next", "cmap_iter_finalize" };

	/**
	 * The calls of {@code corosync/cmap.h} SAM makes ({@code size_t} is 64 bits where SAM
	 * runs).
	 */
	public interface Lib extends Library {

		int cmap_initialize(LongByReference handle);

		int cmap_finalize(long handle);

		int cmap_set_string(long handle, String key, String value);

		int cmap_set_uint64(long handle, String key, long value);

		int cmap_delete(long handle, String key);

		int cmap_get(long handle, String key, Pointer value, LongByReference valueLength, IntByReference type);

		int cmap_iter_init(long handle, String prefix, LongByReference iter);

		int cmap_iter_next(long handle, long iter, byte[] keyName, LongByReference valueLength, IntByReference type);

		int cmap_iter_finalize(long handle, long iter);

	}

	private final String name;

	private final Lib lib;

	private JnaCmap(String name, Lib lib) {
		this.name = name;
		this.lib = lib;
	}

	/**
	 * Loads the library and resolves every symbol now.
	 * @throws UnsatisfiedLinkError if the library or one of its symbols cannot be found
	 */
	static CmapLibrary load(String name) {
		NativeLibrary library = NativeLibrary.getInstance(name);
		for (String symbol : SYMBOLS) {
			library.getFunction(symbol);
		}
		return new JnaCmap(name, Native.load(name, Lib.class));
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public CmapConnection connect() {
		LongByReference handle = new LongByReference();
		check("cmap_initialize()", this.lib.cmap_initialize(handle));
		return new Connection(handle.getValue());
	}

	private static void check(String call, int result) {
		if (result != CS_OK) {
			throw new CorosyncException(call, result);
		}
	}

	private final class Connection implements CmapConnection {

		private final long handle;

		private boolean closed;

		Connection(long handle) {
			this.handle = handle;
		}

		@Override
		public void setString(String key, String value) {
			check("cmap_set_string(" + key + ")", JnaCmap.this.lib.cmap_set_string(this.handle, key, value));
		}

		@Override
		public void setUint64(String key, long value) {
			check("cmap_set_uint64(" + key + ")", JnaCmap.this.lib.cmap_set_uint64(this.handle, key, value));
		}

		@Override
		public void delete(String key) {
			int result = JnaCmap.this.lib.cmap_delete(this.handle, key);
			if (result != CS_ERR_NOT_EXIST) {
				check("cmap_delete(" + key + ")", result);
			}
		}

		@Override
		public Map<String, Object> list(String prefix) {
			Map<String, Object> entries = new LinkedHashMap<>();
			LongByReference iter = new LongByReference();
			check("cmap_iter_init(" + prefix + ")", JnaCmap.this.lib.cmap_iter_init(this.handle, prefix, iter));
			try {
				byte[] keyName = new byte[KEYNAME_MAXLEN + 1];
				LongByReference length = new LongByReference();
				IntByReference type = new IntByReference();
				while (true) {
					int result = JnaCmap.this.lib.cmap_iter_next(this.handle, iter.getValue(), keyName, length, type);
					if (result == CS_ERR_NO_SECTIONS) {
						break;
					}
					check("cmap_iter_next(" + prefix + ")", result);
					String key = Native.toString(keyName, StandardCharsets.US_ASCII.name());
					entries.put(key, get(key, length.getValue(), type.getValue()));
				}
			}
			finally {
				JnaCmap.this.lib.cmap_iter_finalize(this.handle, iter.getValue());
			}
			return entries;
		}

		private Object get(String key, long size, int type) {
			Memory value = new Memory(Math.max(size, 8));
			LongByReference length = new LongByReference(value.size());
			IntByReference actualType = new IntByReference();
			int result = JnaCmap.this.lib.cmap_get(this.handle, key, value, length, actualType);
			if (result == CS_ERR_NOT_EXIST) {
				return null;
			}
			check("cmap_get(" + key + ")", result);
			return switch (actualType.getValue()) {
				case VALUETYPE_STRING -> value.getString(0, StandardCharsets.UTF_8.name());
				case VALUETYPE_UINT64 -> value.getLong(0);
				default -> "(" + ((type >= 0 && type < TYPE_NAMES.length) ? TYPE_NAMES[type] : "type " + type) + ")";
			};
		}

		@Override
		public void close() {
			if (!this.closed) {
				this.closed = true;
				JnaCmap.this.lib.cmap_finalize(this.handle);
			}
		}

	}

}
