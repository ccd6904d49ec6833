// VotingEnsembleEstimator.cs — fits several CNNs (or ensembles of them) on the same data and votes with them, as ONE
// ONNX graph.
using System.Collections.Immutable;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx;
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Trainers;

/// <summary>A voting ensemble of CNNs, reached as <c>ml.MulticlassClassification.Trainers.VotingEnsemble(...)</c>.
/// <see cref="Fit"/> trains every member on the same input, one after another, exports them as one voting ONNX graph
/// (members side by side on the same input; see <see cref="VotingKind"/> and <see cref="OnnxExport.EnsembleToBytes"/>)
/// and gives a <see cref="VotingEnsembleTransformer"/> that scores through ML.NET's own transformers, like a single CNN,
/// and keeps each member's own fitted model for its metrics. A member may be an ensemble itself: it then votes with its
/// own <c>Score</c>, and the whole tree is still one graph.</summary>
public sealed partial class VotingEnsembleEstimator : IEstimator<VotingEnsembleTransformer>
{
    private readonly ImmutableArray<IEstimator<DigitsModel>> members;
    private readonly VotingKind voting;

    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its member list is null.</exception>
    /// <exception cref="ArgumentException">There is no member, a member is null or not a CNN trainer or voting ensemble,
    /// or members read different columns; the message names the member.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Options.Voting"/> is not a <see cref="VotingKind"/>.</exception>
    internal VotingEnsembleEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Members, nameof(options.Members));
        if (!Enum.IsDefined(options.Voting))
            throw new ArgumentOutOfRangeException(nameof(options.Voting), options.Voting, "Voting must be Soft or Hard.");
        if (options.Members.Count == 0)
            throw new ArgumentException("A voting ensemble needs at least one member estimator.", nameof(options.Members));
        for (int i = 0; i < options.Members.Count; i++)
            if (options.Members[i] is not (CnnTrainer or VotingEnsembleEstimator))
                throw new ArgumentException(options.Members[i] is null ? $"Ensemble member {i} is null."
                    : $"Ensemble member {i} is a {options.Members[i].GetType().Name}; members must be CNN trainers or voting ensembles.",
                    nameof(options.Members));
        var first = Columns(options.Members[0]);
        for (int i = 1; i < options.Members.Count; i++)
        {
            var other = Columns(options.Members[i]);
            if (other != first)
                throw new ArgumentException(
                    $"Ensemble member {i} reads '{other.Label}'/'{other.Features}' but member 0 reads '{first.Label}'/'{first.Features}'; " +
                    "every member must read the same label and features.", nameof(options.Members));
        }
        // A snapshot, so a list the caller changes later cannot change what Fit does.
        members = [.. options.Members];
        voting = options.Voting;
    }

    /// <summary>The members, in the order they are fitted and voted.</summary>
    public IReadOnlyList<IEstimator<DigitsModel>> Members => members;

    /// <summary>How the fitted ensemble votes.</summary>
    public VotingKind Voting => voting;

    /// <summary>Checks the columns, then trains the members one after another on <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column the members need is missing or of the wrong type (checked
    /// before any member is trained).</exception>
    /// <remarks>Any exception a member's training throws passes through, after what was trained so far is freed.</remarks>
    public VotingEnsembleTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var networks = new List<Network>();
        try
        {
            return FitTree(input, networks).Model;
        }
        finally
        {
            foreach (var network in networks)
                network.Dispose();
        }
    }

    /// <summary>Trains every member (nested ensembles recursively), adding each network to <paramref name="networks"/>
    /// (which the caller frees), and returns this vote's tree, its fitted model and its networks' histories in leaf order.</summary>
    private (VotingTree Tree, VotingEnsembleTransformer Model, List<IReadOnlyList<EpochProgress>> Histories) FitTree(IDataView input, List<Network> networks)
    {
        var fitted = new List<DigitsModel>(members.Length);
        try
        {
            DataViewSchema.Column label = default;
            var children = new List<VotingTree>();
            var histories = new List<IReadOnlyList<EpochProgress>>();
            var summaries = new List<NetworkSummary>();
            foreach (var member in members)
            {
                if (member is CnnTrainer cnn)
                {
                    var network = cnn.Train(input, out label, out var history);
                    networks.Add(network);
                    histories.Add(history);
                    summaries.Add(network.Summary);
                    children.Add(VotingTree.Leaf(network));
                    fitted.Add(CnnTransformer.Create(network, history, input, cnn.TrainerOptions.FeatureColumnName, label));
                }
                else
                {
                    int before = networks.Count;
                    var (tree, model, nested) = ((VotingEnsembleEstimator)member).FitTree(input, networks);
                    label = input.Schema[Columns(member).Label];
                    histories.AddRange(nested);
                    summaries.AddRange(networks.Skip(before).Select(n => n.Summary));
                    children.Add(tree);
                    fitted.Add(model);
                }
            }
            string features = Columns(members[0]).Features;
            var classNames = fitted[0].ClassNames;
            var root = VotingTree.Vote(voting, children);
            var export = new OnnxExportOptions
            {
                InputName = features,
                ClassNames = classNames,
                Metadata = TrainingMetadata.Entries(histories, [.. summaries.Select(s => s.ToString())]),
            };
            byte[] onnx = OnnxExport.VotingTreeToBytes(root, export);
            var scorer = DigitsModelChain.Create(onnx, input, features, label);
            return (root, new VotingEnsembleTransformer(scorer, onnx, classNames, features, fitted, voting), histories);
        }
        catch
        {
            foreach (var member in fitted)
                member.Dispose();
            throw;
        }
    }

    /// <summary>The input's shape plus <c>Score</c> and <c>PredictedLabel</c>, as for one <see cref="CnnTrainer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label or feature column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => members[0].GetOutputSchema(inputSchema);

    /// <summary>The label and feature columns a member reads.</summary>
    private static (string Label, string Features) Columns(IEstimator<DigitsModel> member) => member switch
    {
        CnnTrainer cnn => (cnn.TrainerOptions.LabelColumnName, cnn.TrainerOptions.FeatureColumnName),
        VotingEnsembleEstimator ensemble => Columns(ensemble.members[0]),
        _ => throw new ArgumentException($"{member.GetType().Name} is not a CNN trainer or voting ensemble."),
    };
}
