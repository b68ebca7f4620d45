package dev.narwhal.process.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * INTERNAL API. Datagrams on an AF_UNIX socket, which the JDK does not offer (its Unix-domain
 * channels are stream sockets only) and systemd's notify protocol needs. Through JNA, which the
 * server already carries for its process metrics, rather than a native library of our own.
 * Linux only: the constants are Linux's.
 */
public final class UnixDatagram implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int MSG_NOSIGNAL = 0x4000;

  /** The libc calls used, as JNA binds them. */
  public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int socket(int domain, int type, int protocol);

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, SockaddrUn address, int addressLength);

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

    int bind(int fd, SockaddrUn address, int addressLength);

    int setsockopt(int fd, int level, int name, long[] value, int length);

    int close(int fd);
  }

  /** {@code struct sockaddr_un}. */
  @Structure.FieldOrder({"family", "path"})
  public static final class SockaddrUn extends Structure {
    public short family = AF_UNIX;
    public byte[] path = new byte[108];

    /** The address and its length: a path, or with a leading '@' a name in the abstract namespace. */
    static SockaddrUn of(String socket, int[] length) throws IOException {
      byte[] name = socket.getBytes(StandardCharsets.UTF_8);
      SockaddrUn address = new SockaddrUn();
      if (name.length >= address.path.length) {
        throw new IOException("socket path too long: " + socket);
      }
      System.arraycopy(name, 0, address.path, 0, name.length);
      boolean isAbstract = socket.startsWith("@");
      if (isAbstract) {
        address.path[0] = 0;
      }
      // family (2 bytes) + the name; a path also counts its terminating NUL, an abstract name not
      length[0] = 2 + name.length + (isAbstract ? 0 : 1);
      return address;
    }
  }

  private final int fd;

  private UnixDatagram(int fd) {
    this.fd = fd;
  }

  /** An unbound socket to send from. */
  public static UnixDatagram open() throws IOException {
    int fd = LibC.INSTANCE.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed, errno " + Native.getLastError());
    }
    return new UnixDatagram(fd);
  }

  /** A socket bound to {@code socket} that receives, each receive waiting at most {@code timeoutMillis}. */
  public static UnixDatagram bind(String socket, long timeoutMillis) throws IOException {
    UnixDatagram datagram = open();
    int[] length = new int[1];
    if (LibC.INSTANCE.bind(datagram.fd, SockaddrUn.of(socket, length), length[0]) != 0) {
      datagram.close();
      throw new IOException("bind(" + socket + ") failed, errno " + Native.getLastError());
    }
    long[] timeval = {timeoutMillis / 1000, (timeoutMillis % 1000) * 1000};
    LibC.INSTANCE.setsockopt(datagram.fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16);
    return datagram;
  }

  /** Sends one datagram to {@code socket}. */
  public void send(String socket, String message) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    int[] length = new int[1];
    SockaddrUn address = SockaddrUn.of(socket, length);
    long sent = LibC.INSTANCE.sendto(fd, bytes, new NativeLong(bytes.length), MSG_NOSIGNAL, address, length[0])
        .longValue();
    if (sent != bytes.length) {
      throw new IOException("sendto(" + socket + ") failed, errno " + Native.getLastError());
    }
  }

  /** The next datagram, or null when none came within the timeout. */
  public String receive() {
    byte[] buffer = new byte[4096];
    long got = LibC.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).longValue();
    return got < 0 ? null : new String(buffer, 0, (int) got, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    LibC.INSTANCE.close(fd);
  }
}
