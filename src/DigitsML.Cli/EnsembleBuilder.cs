// EnsembleBuilder.cs — combines model files as `digits train` and `digits ensemble` write them into one voting model of
// the same shape (the first file's MapValueToKey, one voting ONNX graph of every file's network, the first file's
// MapKeyToValue), so an ensemble file loads, evaluates, predicts and exports like any other, and can itself be a member.
namespace DigitsML.Cli;

internal static class EnsembleBuilder
{
    /// <summary>The ensemble of <paramref name="paths"/> voting with <paramref name="voting"/>; the caller owns it.</summary>
    /// <param name="ml">The context the first model loads into.</param>
    /// <param name="paths">Model files, in voting order.</param>
    /// <param name="voting">Soft (mean probability) or hard (majority) votes.</param>
    /// <param name="input">Data the models take, e.g. the test set; only its schema is read.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not a model zip with one ONNX graph; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The files cannot vote together (other classes, other input, or not a
    /// model digits wrote); the message names every file with its index.</exception>
    public static ITransformer Build(MLContext ml, IReadOnlyList<string> paths, VotingKind voting, IDataView input)
    {
        try
        {
            return ModelFileEnsemble.Combine(ml, paths, voting, input);
        }
        catch (ArgumentException e)
        {
            // The library names members by index ("Ensemble member 1 ..."): say which file each index is.
            string order = string.Join(", ", paths.Select((p, i) => $"{i} = {p}"));
            throw new InvalidOperationException($"cannot combine these models (members: {order}): {e.Message}", e);
        }
    }
}
