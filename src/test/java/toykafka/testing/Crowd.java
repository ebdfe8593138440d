package toykafka.testing;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw connections a hostile-client drill opens to its broker and leaves hanging, from any of its threads:
 * {@link BrokerOnDemand} closes whatever is left of them before it stops the broker.
 */
public final class Crowd {

    private final List<SocketChannel> channels = new ArrayList<>();

    /** Counts {@code channel} in the crowd, to be closed with it. */
    public synchronized void add(SocketChannel channel) {
        channels.add(channel);
    }

    /** Takes {@code channel} out of the crowd, for the caller to close. */
    public synchronized void remove(SocketChannel channel) {
        channels.remove(channel);
    }

    /** Closes every connection of the crowd, which is then empty. */
    public synchronized void disperse() {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing is all that was asked
            }
        }
        channels.clear();
    }
}
