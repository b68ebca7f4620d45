package dev.narwhal.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** See {@link ParallelRendezvous}. */
class ParallelSecondTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(WhoAmI::new).workers(1);

  @Test
  void serves_while_the_first_class_serves_its_own_server() throws Exception {
    ParallelRendezvous.meetTheOther(server);
  }
}
