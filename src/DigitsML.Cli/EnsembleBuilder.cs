// EnsembleBuilder.cs — combines model files as `digits train` writes them (MapValueToKey → scorer → MapKeyToValue) into
// one model of the same shape: the first file's MapValueToKey, a voting ensemble of every file's scorer, and the first
// file's MapKeyToValue. So an ensemble file loads, evaluates and predicts like any other, and can itself be a member.
using DigitsML.Trainers;
using DigitsML.Transforms;

namespace DigitsML.Cli;

internal static class EnsembleBuilder
{
    /// <summary>Loads <paramref name="paths"/> and combines their scorers with <paramref name="voting"/>; the result owns them.</summary>
    /// <param name="ml">The context the models load into.</param>
    /// <param name="paths">Model files, in voting order.</param>
    /// <param name="voting">Soft (mean probability) or hard (majority) votes.</param>
    /// <param name="input">The schema of the data the ensemble will see, e.g. the test set's.</param>
    /// <exception cref="InvalidOperationException">A file is not shaped as digits writes models, or the files' scorers do
    /// not score the same classes; the message names the files.</exception>
    public static TransformerChain<ITransformer> Build(MLContext ml, IReadOnlyList<string> paths, VotingKind voting, DataViewSchema input)
    {
        var loaded = new List<LoadedModel>();
        try
        {
            foreach (string path in paths)
                loaded.Add(LoadedModel.Load(ml, new FileInfo(path)));
            var parts = loaded.Select(Split).ToList();
            var keyed = parts[0].ToKey.GetOutputSchema(input);
            var ensemble = Combine(parts.Select(p => p.Scorer), keyed, voting, paths);
            // From here the new chain owns every scorer (through the ensemble) and the first file's key mappings; the loaded
            // chains are dropped undisposed, as disposing them would free the scorers the ensemble now holds.
            return new TransformerChain<ITransformer>(parts[0].ToKey, ensemble, parts[0].ToValue);
        }
        catch
        {
            foreach (var model in loaded)
                model.Dispose();
            throw;
        }
    }

    private static VotingEnsembleTransformer Combine(IEnumerable<ITransformer> scorers, DataViewSchema keyed, VotingKind voting, IReadOnlyList<string> paths)
    {
        try
        {
            return VotingEnsembleTransformer.Combine(scorers, keyed, voting);
        }
        catch (InvalidOperationException e)
        {
            string order = string.Join(", ", paths.Select((p, i) => $"{i} = {p}"));
            throw new InvalidOperationException($"cannot combine these models (members: {order}): {e.Message}", e);
        }
    }

    private static (ValueToKeyMappingTransformer ToKey, ITransformer Scorer, KeyToValueMappingTransformer ToValue) Split(LoadedModel model)
    {
        if (model.Transformer is IEnumerable<ITransformer> chain
            && chain.ToList() is [ValueToKeyMappingTransformer toKey, .. var scorer, KeyToValueMappingTransformer toValue] && scorer.Count > 0)
            return (toKey, scorer.Count == 1 ? scorer[0] : new TransformerChain<ITransformer>([.. scorer]), toValue);
        throw new InvalidOperationException(
            $"{model.Path} is not shaped as digits train and digits ensemble write models (MapValueToKey → scorer → MapKeyToValue)");
    }
}
