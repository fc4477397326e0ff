package io.easynet.server;

/**
 * What {@link StreamRequestHandler#serviceInit} works with: the server, an exit stack of resources closed at
 * stop in reverse order, background tasks, and scoped values bound on every client's thread.
 *
 * @param <Req> the type of the requests
 * @param <Resp> the type of the responses
 */
public interface ServiceContext<Req, Resp> {

    /** {@return the server being started} */
    AsyncUnixStreamServer<Req, Resp> server();

    /**
     * Closes {@code resource} when the server stops, after every client is done, in reverse order of
     * registration, as EasyNetwork's exit stack does.
     *
     * @param <T> the type of the resource
     * @param resource the resource to close when the server stops
     * @return the resource, for chaining
     */
    <T extends AutoCloseable> T register(T resource);

    /**
     * Starts {@code task} on a virtual thread that sees the values bound so far. At stop the thread is
     * interrupted and joined, in the same reverse order as the registered resources. A task that throws is
     * logged.
     *
     * @param name the thread's name, for logs and thread dumps
     * @param task the work the thread runs
     * @return the started thread
     */
    Thread startBackgroundTask(String name, BackgroundTask task);

    /**
     * Binds {@code key} to {@code value} on the thread of every client the server serves, and of background
     * tasks started after this call, as EasyNetwork copies the context set in {@code service_init}.
     *
     * @param <T> the type of the value
     * @param key the scoped value to bind
     * @param value the value it has in every handler thread
     */
    <T> void bind(ScopedValue<T> key, T value);

    /** A task that runs in the background until it is done or interrupted. */
    @FunctionalInterface
    interface BackgroundTask {

        /**
         * Runs the task; an {@link InterruptedException} at stop ends it quietly.
         *
         * @throws Exception any failure, which is logged
         */
        void run() throws Exception;
    }
}
