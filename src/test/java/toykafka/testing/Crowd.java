package toykafka.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

    /**
     * A connection from the loopback address {@code from} to {@code host:port}, counted in the crowd before it
     * connects, so that it is closed with the crowd even if connecting fails.
     */
    public SocketChannel connect(InetAddress from, String host, int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        add(channel);
        channel.bind(new InetSocketAddress(from, 0));
        channel.connect(new InetSocketAddress(host, port));
        return channel;
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
