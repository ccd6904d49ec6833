// VotingEnsembleEstimator.cs — fits several CNNs on the same data and votes with them, as ONE ONNX graph.
using System.Collections.Immutable;
using DigitsML.Engine;
using DigitsML.Onnx;
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Trainers;

/// <summary>A voting ensemble of CNNs, reached as <c>ml.MulticlassClassification.Trainers.VotingEnsemble(...)</c>.
/// <see cref="Fit"/> trains every member on the same input, one after another, exports them as one voting ONNX graph
/// (members side by side on the same input; see <see cref="VotingKind"/> and <see cref="OnnxExport.EnsembleToBytes"/>)
/// and gives a <see cref="VotingEnsembleTransformer"/> that scores through ML.NET's own transformers, like a single CNN,
/// and keeps each member's own fitted model for its metrics.</summary>
public sealed partial class VotingEnsembleEstimator : IEstimator<VotingEnsembleTransformer>
{
    private readonly ImmutableArray<CnnTrainer> members;
    private readonly VotingKind voting;

    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its member list is null.</exception>
    /// <exception cref="ArgumentException">There is no member, a member is null, or members read different columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Options.Voting"/> is not a <see cref="VotingKind"/>.</exception>
    internal VotingEnsembleEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Members, nameof(options.Members));
        if (!Enum.IsDefined(options.Voting))
            throw new ArgumentOutOfRangeException(nameof(options.Voting), options.Voting, "Voting must be Soft or Hard.");
        if (options.Members.Count == 0)
            throw new ArgumentException("A voting ensemble needs at least one member estimator.", nameof(options.Members));
        int missing = options.Members.ToList().FindIndex(m => m is null);
        if (missing >= 0)
            throw new ArgumentException($"Ensemble member {missing} is null.", nameof(options.Members));
        var first = options.Members[0].TrainerOptions;
        for (int i = 1; i < options.Members.Count; i++)
        {
            var other = options.Members[i].TrainerOptions;
            if (other.LabelColumnName != first.LabelColumnName || other.FeatureColumnName != first.FeatureColumnName)
                throw new ArgumentException(
                    $"Ensemble member {i} reads '{other.LabelColumnName}'/'{other.FeatureColumnName}' but member 0 reads " +
                    $"'{first.LabelColumnName}'/'{first.FeatureColumnName}'; every member must read the same label and features.", nameof(options.Members));
        }
        // A snapshot, so a list the caller changes later cannot change what Fit does.
        members = [.. options.Members];
        voting = options.Voting;
    }

    /// <summary>The member trainers, in the order they are fitted and voted.</summary>
    public IReadOnlyList<CnnTrainer> Members => members;

    /// <summary>How the fitted ensemble votes.</summary>
    public VotingKind Voting => voting;

    /// <summary>Checks the columns, then trains the members one after another on <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column the members need is missing or of the wrong type (checked
    /// before any member is trained).</exception>
    /// <remarks>Any exception a member's training throws passes through, after the networks trained so far are freed.</remarks>
    public VotingEnsembleTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var networks = new List<Network>(members.Length);
        var fitted = new List<CnnTransformer>(members.Length);
        try
        {
            DataViewSchema.Column label = default;
            var histories = new List<IReadOnlyList<EpochProgress>>();
            foreach (var member in members)
            {
                networks.Add(member.Train(input, out label, out var history));
                histories.Add(history);
                fitted.Add(CnnTransformer.Create(networks[^1], history, input, member.TrainerOptions.FeatureColumnName, label));
            }
            string features = members[0].TrainerOptions.FeatureColumnName;
            var classNames = fitted[0].ClassNames;
            var export = new OnnxExportOptions
            {
                InputName = features,
                ClassNames = classNames,
                Metadata = TrainingMetadata.Write(histories, [.. networks.Select(n => n.Summary)]),
            };
            byte[] onnx = OnnxExport.EnsembleToBytes(networks, voting, export);
            var scorer = ScoringChain.Create(OnnxExport.EnsembleToBytes(networks, voting, export with { PerRow = true }), input, features, label);
            return new VotingEnsembleTransformer(scorer, onnx, classNames, features, fitted, voting);
        }
        catch
        {
            foreach (var member in fitted)
                member.Dispose();
            throw;
        }
        finally
        {
            foreach (var network in networks)
                network.Dispose();
        }
    }

    /// <summary>The input's shape plus <c>Score</c> and <c>PredictedLabel</c>, as for one <see cref="CnnTrainer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label or feature column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => members[0].GetOutputSchema(inputSchema);
}
