package org.jexecnet.remote;

import java.util.List;
import org.apache.commons.lang3.ArrayUtils;
import org.apache.commons.lang3.StringUtils;
import org.apache.commons.lang3.text.WordUtils;
import org.jexecnet.Channel;

/** Uses several classes of commons-lang3, a library only the master has. */
public final class LibraryUser {
    private LibraryUser() {}

    @SuppressWarnings("deprecation")
    public static void run(Channel channel) {
        String word = channel.receive(String.class);
        channel.send(List.of(StringUtils.reverse(word), WordUtils.capitalize(word),
                ArrayUtils.toString(ArrayUtils.toObject(new int[] {1, 2}))));
        channel.send(StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toString());
    }
}
