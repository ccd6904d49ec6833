// Crc32.cs — the zip format's CRC-32 (IEEE 802.3, reflected), to check an entry's bytes against its header.
namespace DigitsML.Models;

/// <summary>CRC-32 as zip computes it; System.IO.Compression does not check it when reading, and System.IO.Hashing is a
/// package of its own for 20 lines.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>The running value before any byte.</summary>
    internal const uint Start = 0xFFFFFFFF;

    internal static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    internal static uint Finish(uint crc) => ~crc;

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
