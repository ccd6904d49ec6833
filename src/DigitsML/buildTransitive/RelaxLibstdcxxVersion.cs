// RelaxLibstdcxxVersion.cs — lets TorchSharp's libLibTorchSharp.so load on a system whose libstdc++ predates GCC 13
// (Debian 12 has GLIBCXX_3.4.30). Compiled by MSBuild as an inline task (DigitsML.targets); the tests compile the
// same file to check the ELF edit.
//
// Why the edit is safe: TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 for one symbol only,
// std::ios_base_library_init(), which GCC 13's <iostream> names with a bare `.globl` so that the library is linked to
// a libstdc++ that initialises the standard streams itself. No relocation refers to it, so the dynamic linker never
// looks it up; it only checks that every required version exists. ELF has a flag for "this version is optional"
// (VER_FLG_WEAK on the Vernaux entry): with it set, ld.so skips that check. We set it on the copy in the build output,
// and only when every symbol of that version is the one above and the system's libstdc++ lacks the version.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace DigitsML.Build
{
    /// <summary>The ELF edit itself: finds the required version in the library's .gnu.version_r and marks it weak.</summary>
    public static class ElfVersionRequirement
    {
        /// <summary>The version TorchSharp's library requires and Debian 12's libstdc++ lacks.</summary>
        public const string Version = "GLIBCXX_3.4.32";

        /// <summary>The only symbol allowed to carry <see cref="Version"/>.</summary>
        public const string Symbol = "_ZSt21ios_base_library_initv";

        private const uint ShtDynsym = 11, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>What <see cref="MakeWeak"/> did.</summary>
        public enum Outcome { NotRequired, AlreadyWeak, MadeWeak }

        /// <summary>Whether the library file at <paramref name="path"/> defines <paramref name="version"/> (its text
        /// appears in the file, as in every libstdc++ that provides it).</summary>
        public static bool Defines(string path, string version)
        {
            byte[] bytes = File.ReadAllBytes(path);
            return IndexOf(bytes, Encoding.ASCII.GetBytes(version + "\0")) >= 0;
        }

        /// <summary>Marks the requirement of <see cref="Version"/> in <paramref name="elf"/> weak, in place.</summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF, or a symbol other than
        /// <see cref="Symbol"/> needs the version (then weakening it would hide a real dependency).</exception>
        public static Outcome MakeWeak(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("not a 64-bit little-endian ELF file");
            long sectionTable = (long)U64(elf, 0x28);
            int entrySize = U16(elf, 0x3a), count = U16(elf, 0x3c);
            var sections = new List<(uint Type, long Offset, long Size, int Link, int Info)>();
            for (int i = 0; i < count; i++)
            {
                long s = sectionTable + (long)i * entrySize;
                Require(s + 64 <= elf.Length, "the section table runs past the end of the file");
                sections.Add((U32(elf, s + 4), (long)U64(elf, s + 24), (long)U64(elf, s + 32), (int)U32(elf, s + 40), (int)U32(elf, s + 44)));
            }

            int versionIndex = -1;
            long flagsAt = -1;
            ushort flags = 0;
            foreach (var need in sections.FindAll(s => s.Type == ShtVerneed))
            {
                long strings = sections[need.Link].Offset, entry = need.Offset;
                for (int n = 0; n < need.Info; n++)
                {
                    long aux = entry + U32(elf, entry + 8);
                    for (int a = 0; a < U16(elf, entry + 2); a++)
                    {
                        if (Text(elf, strings + U32(elf, aux + 8)) == Version)
                            (versionIndex, flagsAt, flags) = (U16(elf, aux + 6), aux + 4, (ushort)U16(elf, aux + 4));
                        aux += U32(elf, aux + 12);
                    }
                    entry += U32(elf, entry + 12);
                }
            }
            if (versionIndex < 0)
                return Outcome.NotRequired;

            var symbols = sections.Find(s => s.Type == ShtDynsym);
            var versions = sections.Find(s => s.Type == ShtVersym);
            long symbolStrings = sections[symbols.Link].Offset;
            for (long k = 0; k < symbols.Size / 24; k++)
            {
                if ((U16(elf, versions.Offset + 2 * k) & 0x7fff) != versionIndex)
                    continue;
                string name = Text(elf, symbolStrings + U32(elf, symbols.Offset + 24 * k));
                if (name != Symbol)
                    throw new InvalidDataException($"{name} needs {Version}; only {Symbol} may be relaxed, so a newer libstdc++ is needed");
            }
            if ((flags & VerFlagWeak) != 0)
                return Outcome.AlreadyWeak;
            elf[flagsAt] = (byte)((flags | VerFlagWeak) & 0xff);
            elf[flagsAt + 1] = (byte)((flags | VerFlagWeak) >> 8);
            return Outcome.MadeWeak;
        }

        /// <summary>Relaxes the library file at <paramref name="path"/>: written to a temporary file and renamed over the
        /// original, so a hard link into the NuGet cache is replaced, never written through. The modification time is
        /// kept, so MSBuild's incremental copy leaves the relaxed file in place.</summary>
        public static Outcome RelaxFile(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            Outcome outcome = MakeWeak(elf);
            if (outcome != Outcome.MadeWeak)
                return outcome;
            DateTime written = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".relaxing";
            File.WriteAllBytes(temporary, elf);
            File.SetLastWriteTimeUtc(temporary, written);
            File.Replace(temporary, path, null);  // a rename: the old inode (perhaps the NuGet cache's) is left alone
            return outcome;
        }

        private static void Require(bool condition, string why)
        {
            if (!condition)
                throw new InvalidDataException(why);
        }

        private static string Text(byte[] b, long at)
        {
            Require(at >= 0 && at < b.Length, "a string offset points outside the file");
            long end = at;
            while (end < b.Length && b[end] != 0)
                end++;
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }

        private static int U16(byte[] b, long at) { Require(at + 2 <= b.Length, "truncated ELF"); return b[at] | b[at + 1] << 8; }
        private static uint U32(byte[] b, long at) { Require(at + 4 <= b.Length, "truncated ELF"); return BitConverter.ToUInt32(b, (int)at); }
        private static ulong U64(byte[] b, long at) { Require(at + 8 <= b.Length, "truncated ELF"); return BitConverter.ToUInt64(b, (int)at); }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            // MSBuild compiles inline tasks for .NET Standard 2.0: no spans here.
            for (int i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length; i = Array.IndexOf(haystack, needle[0], i + 1))
            {
                int k = 1;
                while (k < needle.Length && haystack[i + k] == needle[k])
                    k++;
                if (k == needle.Length)
                    return i;
            }
            return -1;
        }
    }

#if !DIGITSML_TESTS
    /// <summary>The MSBuild task: relaxes each library in <see cref="Libraries"/> when the system's libstdc++
    /// (<see cref="SystemLibstdcxx"/>) lacks <see cref="ElfVersionRequirement.Version"/>; otherwise does nothing.</summary>
    public sealed class RelaxLibstdcxxVersion : Microsoft.Build.Utilities.Task
    {
        /// <summary>The copies of libLibTorchSharp.so in the output folder.</summary>
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Candidate paths of the system's libstdc++.so.6; the first that exists is read.</summary>
        public string[] SystemLibstdcxx { get; set; } = Array.Empty<string>();

        public override bool Execute()
        {
            string system = Array.Find(SystemLibstdcxx, File.Exists);
            if (system is null || ElfVersionRequirement.Defines(system, ElfVersionRequirement.Version))
                return true;
            foreach (var item in Libraries)
            {
                try
                {
                    var outcome = ElfVersionRequirement.RelaxFile(item.ItemSpec);
                    if (outcome == ElfVersionRequirement.Outcome.MadeWeak)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                            $"DigitsML: {item.ItemSpec}: {ElfVersionRequirement.Version} made optional ({system} predates it)");
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    Log.LogError($"DigitsML: cannot make {item.ItemSpec} load with {system}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
