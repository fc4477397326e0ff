package io.easynet.boot.unix.health;

import java.util.stream.Stream;

import io.easynet.boot.unix.ManagedUnixStreamServer;
import io.easynet.boot.unix.UnixStreamServers;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.util.Assert;

/**
 * The health of every managed server, one {@link UnixStreamServerHealthIndicator} per server name. The servers
 * are read from the registry at each check, since the registry finds its handlers only when it starts, after the
 * health contributors are registered.
 */
public final class UnixStreamServersHealthContributor implements CompositeHealthContributor {

    private final UnixStreamServers servers;

    /**
     * Reports the health of the servers of {@code servers}.
     *
     * @param servers the servers to report on
     */
    public UnixStreamServersHealthContributor(UnixStreamServers servers) {
        Assert.notNull(servers, "'servers' must not be null");
        this.servers = servers;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        return servers.getServers().stream().filter(server -> server.getName().equals(name)).findFirst()
                .map(UnixStreamServerHealthIndicator::new).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return servers.getServers().stream().map(UnixStreamServersHealthContributor::entry);
    }

    private static Entry entry(ManagedUnixStreamServer<?, ?> server) {
        return new Entry(server.getName(), new UnixStreamServerHealthIndicator(server));
    }
}
