// DigitsModelCatalog.Save.cs — ml.Model.SaveAtomically: ml.Model.Save to a temporary file beside the target, flushed to
// disk, then renamed over it, so a crash or a kill mid-save never leaves half a model where a whole one is expected.
using DigitsML.Scoring;
using Microsoft.ML;

namespace DigitsML;

public static partial class DigitsModelCatalog
{
    /// <summary>Saves <paramref name="model"/> as <c>ml.Model.Save</c> does, atomically: the zip is written to a temporary
    /// file in the same folder (<c>.NAME.GUID.tmp</c>), flushed to disk and renamed over <paramref name="filePath"/>.
    /// Readers and crashes see the previous file or the whole new one, never half; on failure the temporary file is
    /// removed and an existing file is left as it was. A process killed mid-save can leave its temporary file behind.</summary>
    /// <param name="catalog">The model catalog, <c>ml.Model</c>.</param>
    /// <param name="model">The model to save.</param>
    /// <param name="inputSchema">The schema of the data the model takes (what <c>ml.Model.Load</c> gives back).</param>
    /// <param name="filePath">The model zip to write; its folder must exist.</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filePath"/> is null, empty or white space.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or file cannot be written.</exception>
    /// <exception cref="IOException">The file cannot be written (e.g. the disk is full).</exception>
    public static void SaveAtomically(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        // ML.NET closes the stream it saves to; the flush to disk needs it open, so it gets a view that stays open.
        AtomicFile.Write(filePath, file => catalog.Save(model, inputSchema, new KeptOpen(file)));
    }

    /// <summary>A stream that passes everything through but ignores Dispose.</summary>
    private sealed class KeptOpen(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        protected override void Dispose(bool disposing) => inner.Flush();
    }
}
