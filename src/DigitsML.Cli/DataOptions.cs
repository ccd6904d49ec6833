// DataOptions.cs — where the MNIST-style IDX files come from: a folder, or each file named.
using System.CommandLine;

namespace DigitsML.Cli;

internal sealed class DataOptions
{
    public static string DefaultFolder =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "digitsml", "mnist");

    public Option<DirectoryInfo> Folder { get; } = new("--data")
    {
        Description = "Folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and " +
                      "t10k-labels-idx1-ubyte (each plain or .gz) (default: ~/.cache/digitsml/mnist, filled by build/setup.sh)",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultFolder),
    };

    public Option<FileInfo?> TrainImages { get; } = new("--train-images") { Description = "Training images IDX file (default: in --data)" };
    public Option<FileInfo?> TrainLabels { get; } = new("--train-labels") { Description = "Training labels IDX file (default: in --data)" };
    public Option<FileInfo?> TestImages { get; } = new("--test-images") { Description = "Test images IDX file (default: in --data)" };
    public Option<FileInfo?> TestLabels { get; } = new("--test-labels") { Description = "Test labels IDX file (default: in --data)" };

    public void AddTrainingTo(Command command)
    {
        command.Options.Add(Folder);
        command.Options.Add(TrainImages);
        command.Options.Add(TrainLabels);
        AddTestTo(command, includeFolder: false);
    }

    public void AddTestTo(Command command, bool includeFolder = true)
    {
        if (includeFolder)
            command.Options.Add(Folder);
        command.Options.Add(TestImages);
        command.Options.Add(TestLabels);
    }

    /// <summary>The training images and labels files named or found in --data.</summary>
    public (string Images, string Labels) TrainFiles(ParseResult r) =>
        (Resolve(r, TrainImages, "train-images-idx3-ubyte"), Resolve(r, TrainLabels, "train-labels-idx1-ubyte"));

    public IDataView LoadTrain(MLContext ml, ParseResult r) =>
        ml.Data.LoadFromIdx(Resolve(r, TrainImages, "train-images-idx3-ubyte"), Resolve(r, TrainLabels, "train-labels-idx1-ubyte"));

    public IDataView LoadTest(MLContext ml, ParseResult r) =>
        ml.Data.LoadFromIdx(Resolve(r, TestImages, "t10k-images-idx3-ubyte"), Resolve(r, TestLabels, "t10k-labels-idx1-ubyte"));

    private string Resolve(ParseResult r, Option<FileInfo?> explicitFile, string name)
    {
        if (r.GetValue(explicitFile) is FileInfo file)
            return file.FullName;
        string folder = r.GetValue(Folder)!.FullName;
        string plain = Path.Combine(folder, name), gz = plain + ".gz";
        if (File.Exists(plain))
            return plain;
        if (File.Exists(gz))
            return gz;
        throw new FileNotFoundException($"{name} (or {name}.gz) is not in {folder}; pass --data or {explicitFile.Name}", plain);
    }
}
