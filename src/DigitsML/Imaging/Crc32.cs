// Crc32.cs — the CRC-32 of PNG chunks (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320), table-driven.
namespace DigitsML.Imaging;

/// <summary>CRC-32 as PNG, zip and gzip use it. The BCL's System.IO.Hashing is a separate package, and a
/// 256-entry table is all it takes.</summary>
internal static class Crc32
{
    private static readonly uint[] table = MakeTable();

    private static uint[] MakeTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    internal static uint Compute(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in bytes)
            c = table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFF;
    }
}
