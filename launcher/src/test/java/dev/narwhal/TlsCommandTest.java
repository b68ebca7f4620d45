package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.testing.TestCerts;
import dev.narwhal.testing.TestCerts.KeyKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** TLS files through the command line: a bad pair is one line and status 2, before anything binds. */
class TlsCommandTest {
  @TempDir
  Path dir;

  @Test
  void the_command_refuses_a_mismatched_or_unreadable_key_in_one_line_with_status_2() throws Exception {
    Path[] rsa = TestCerts.server(dir, "rsa", KeyKind.RSA_PKCS1);
    Path[] ec = TestCerts.server(dir, "ec", KeyKind.EC_SEC1);
    Path[] ec2 = TestCerts.server(dir, "ec2", KeyKind.EC_PKCS8);
    for (String[] pair : new String[][] {{ec[0].toString(), rsa[1].toString()}, {ec2[0].toString(), ec[1].toString()}}) {
      Path conf = Files.writeString(dir.resolve("tls.conf"),
          "narwhal {\n  keyfile = \"" + pair[0] + "\"\n  certfile = \"" + pair[1] + "\"\n}\n");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = Main.run(new String[] {"-c", conf.toString(), "hello"}, new PrintStream(new ByteArrayOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      String message = err.toString(StandardCharsets.UTF_8);
      assertThat(status).isEqualTo(2);
      assertThat(message.lines()).singleElement().asString()
          .startsWith("narwhal: error: " + conf + ":2: narwhal.keyfile: expected the private key of certfile's certificate")
          .contains("does not match the certificate");
      assertThat(message).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }
}
