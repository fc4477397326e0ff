package io.easynet.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the demo's servers; their sockets are in {@code $EASYNET_DEMO_DIR} (see {@link DemoDirectory}). */
// tag::application[]
@SpringBootApplication
public class DemoApplication {

    /** Runs the demo until the process is stopped. */
    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
// end::application[]
