package org.jexecnet.internal.protocol;

/**
 * One message on the wire: execnet's 9-byte header (int8 code, int32 channel id, int32 payload
 * length) and the payload, a serialized value or nothing.
 *
 * @param code one of the message codes below
 * @param channelId the channel the message is about; 0 for the gateway as a whole
 * @param payload the payload bytes; null when the payload is a large bytes value, read into {@code bulk}
 * @param bulk the bytes of a large {@code CHANNEL_DATA} whose payload is one bytes value, read straight
 *     into an array of their own; otherwise null
 */
public record Frame(int code, int channelId, byte[] payload, byte[] bulk) {
    public static final int STATUS = 0;
    public static final int RECONFIGURE = 1;
    public static final int GATEWAY_TERMINATE = 2;
    public static final int CHANNEL_EXEC = 3;
    public static final int CHANNEL_DATA = 4;
    public static final int CHANNEL_CLOSE = 5;
    public static final int CHANNEL_CLOSE_ERROR = 6;
    public static final int CHANNEL_LAST_MESSAGE = 7;
    /** jexecnet's own: a sign of life between two jexecnet ends. Python execnet never sees it. */
    public static final int HEARTBEAT = 8;
    /** jexecnet's own: the receiver consumed this many more bytes of the channel (an 8-byte count). */
    public static final int CHANNEL_CREDIT = 9;

    static final byte[] EMPTY = new byte[0];
    private static final String[] NAMES = {
        "STATUS", "RECONFIGURE", "GATEWAY_TERMINATE", "CHANNEL_EXEC", "CHANNEL_DATA", "CHANNEL_CLOSE",
        "CHANNEL_CLOSE_ERROR", "CHANNEL_LAST_MESSAGE", "HEARTBEAT", "CHANNEL_CREDIT"
    };

    /** The code's name, or its number when it is not one execnet defines. */
    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "code " + code;
    }

    /** As execnet traces a message. */
    @Override
    public String toString() {
        return "<Message " + name(code) + " channel=" + channelId + " lendata=" + (payload != null ? payload.length : bulk.length + 6) + ">";
    }
}
