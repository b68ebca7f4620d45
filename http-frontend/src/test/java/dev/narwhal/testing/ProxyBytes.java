package dev.narwhal.testing;

import java.io.ByteArrayOutputStream;

/** PROXY protocol v2 headers built byte by byte, as a proxy would send them. */
public final class ProxyBytes {
  private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  private ProxyBytes() {}

  /** The signature, version/command, family/protocol, the block's length, then {@code addresses}. */
  public static byte[] v2(int versionCommand, int familyProtocol, byte[] addresses) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    out.write(versionCommand);
    out.write(familyProtocol);
    out.write(addresses.length >> 8);
    out.write(addresses.length & 0xFF);
    out.writeBytes(addresses);
    return out.toByteArray();
  }

  /** An address block: source and destination addresses, their ports, then TLVs. */
  public static byte[] inet(byte[] source, byte[] destination, int sourcePort, int destinationPort, byte... tlvs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(source);
    out.writeBytes(destination);
    out.write(sourcePort >> 8);
    out.write(sourcePort & 0xFF);
    out.write(destinationPort >> 8);
    out.write(destinationPort & 0xFF);
    out.writeBytes(tlvs);
    return out.toByteArray();
  }
}
