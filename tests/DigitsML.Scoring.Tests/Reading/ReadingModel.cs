// ReadingModel.cs — the digit model the reading tests score with: a DigitsML model zip checked in as
// fixtures/reading-model.zip (the default recipe, as `build/run.sh` trains it; docs/reading.md), loaded once.
using Microsoft.ML;

namespace DigitsML.Scoring.Tests.Reading;

internal static class ReadingModel
{
    private static readonly Lazy<ITransformer> model = new(() => new MLContext().Model.LoadDigitsModel(Path, out _));
    private static readonly Lazy<NumberReader> reader = new(() => new NumberReader(Model));

    /// <summary>The model file.</summary>
    public static string Path => Fixtures.File("reading-model.zip");

    /// <summary>The loaded model, shared by every test (scoring is thread-safe).</summary>
    public static ITransformer Model => model.Value;

    /// <summary>A reader with the default options.</summary>
    public static NumberReader Reader => reader.Value;
}
