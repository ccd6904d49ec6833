// VotingEnsembleEstimator.cs — fits several multiclass estimators on the same data and votes with them.
using System.Collections.Immutable;
using DigitsML.Data;

namespace DigitsML.Trainers;

/// <summary>A voting ensemble, reached as <c>ml.MulticlassClassification.Trainers.VotingEnsemble(...)</c>. <see cref="Fit"/>
/// fits every member on the same input, one after another, and gives a <see cref="VotingEnsembleTransformer"/> that owns
/// them and adds <c>Score</c> and <c>PredictedLabel</c> from their votes (see <see cref="VotingKind"/>). Members may be
/// ensembles themselves, for a vote of votes.</summary>
public sealed partial class VotingEnsembleEstimator : IEstimator<VotingEnsembleTransformer>
{
    internal const string LogSource = nameof(VotingEnsembleEstimator);

    private readonly MLContext context;
    private readonly ImmutableArray<IEstimator<ITransformer>> members;
    private readonly VotingKind voting;
    private readonly string scoreColumnName, predictedLabelColumnName;

    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its member list is null.</exception>
    /// <exception cref="ArgumentException">There is no member, a member is null, a column name is empty, or the score and
    /// predicted-label columns have the same name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Options.Voting"/> is not a <see cref="VotingKind"/>.</exception>
    internal VotingEnsembleEstimator(MLContext context, Options options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Members, nameof(options.Members));
        ArgumentException.ThrowIfNullOrEmpty(options.ScoreColumnName, nameof(options.ScoreColumnName));
        ArgumentException.ThrowIfNullOrEmpty(options.PredictedLabelColumnName, nameof(options.PredictedLabelColumnName));
        if (options.ScoreColumnName == options.PredictedLabelColumnName)
            throw new ArgumentException($"The score and predicted-label columns are both named '{options.ScoreColumnName}'.", nameof(options.PredictedLabelColumnName));
        if (!Enum.IsDefined(options.Voting))
            throw new ArgumentOutOfRangeException(nameof(options.Voting), options.Voting, "Voting must be Soft or Hard.");
        if (options.Members.Count == 0)
            throw new ArgumentException("A voting ensemble needs at least one member estimator.", nameof(options.Members));
        int missing = options.Members.ToList().FindIndex(m => m is null);
        if (missing >= 0)
            throw new ArgumentException($"Ensemble member {missing} is null.", nameof(options.Members));
        this.context = context;
        // A snapshot, so a list the caller changes later cannot change what Fit does.
        members = [.. options.Members];
        voting = options.Voting;
        scoreColumnName = options.ScoreColumnName;
        predictedLabelColumnName = options.PredictedLabelColumnName;
    }

    /// <summary>The member estimators, in the order they are fitted and voted.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Members => members;

    /// <summary>How the fitted ensemble votes.</summary>
    public VotingKind Voting => voting;

    /// <summary>Checks every member's columns, then fits the members one after another on <paramref name="input"/>, checking
    /// after each that it scores the same classes as the first, so a mismatch is found before the rest are trained.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column some member needs is missing or of the wrong type (checked
    /// before any member is fitted).</exception>
    /// <exception cref="InvalidOperationException">A member gives no score column of class probabilities, or scores other
    /// classes than the first member; the message names the member. Members already fitted are disposed.</exception>
    /// <remarks>Any exception a member's own <c>Fit</c> throws passes through, after the members fitted so far are disposed.</remarks>
    public VotingEnsembleTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var fitted = new List<ITransformer>(members.Length);
        try
        {
            VotingEnsembleTransformer.MemberScore? first = null;
            for (int i = 0; i < members.Length; i++)
            {
                context.Write(LogSource, ChannelMessageKind.Info,
                    $"Fitting ensemble member {i + 1} of {members.Length} ({CursorBase.TypeName(members[i].GetType())}).");
                var member = members[i].Fit(input);
                fitted.Add(member);
                var score = VotingEnsembleTransformer.FindScore(member.GetOutputSchema(input.Schema), i, member, scoreColumnName);
                if (first is { } f)
                    VotingEnsembleTransformer.CheckSameClasses(f, score);
                else
                    first = score;
            }
            return new VotingEnsembleTransformer(fitted, voting, scoreColumnName, predictedLabelColumnName);
        }
        catch
        {
            foreach (var member in fitted)
                (member as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The input's shape plus the score (a vector of <c>Single</c>, with the first member's score annotations,
    /// such as slot names) and the predicted label (a key, with the first member's predicted-label annotations, such
    /// as key values).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column some member needs is missing or of the wrong type.</exception>
    /// <exception cref="InvalidOperationException">A member's output has no score column that is a vector of
    /// <c>Single</c>; the message names the member.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape? scoreAnnotations = null, predictedAnnotations = null;
        for (int i = 0; i < members.Length; i++)
        {
            var shape = members[i].GetOutputSchema(inputSchema);
            if (!shape.TryFindColumn(scoreColumnName, out var score) || score.Kind == SchemaShape.Column.VectorKind.Scalar || score.IsKey
                || !score.ItemType.Equals(NumberDataViewType.Single))
                throw new InvalidOperationException(
                    $"Ensemble member {i} ({CursorBase.TypeName(members[i].GetType())}) gives no '{scoreColumnName}' column of class probabilities " +
                    $"(Vector<Single>); its output is {shape}. Members must be multiclass trainers, chains ending in one, or ensembles.");
            if (i > 0)
                continue;
            scoreAnnotations = score.Annotations;
            if (shape.TryFindColumn(predictedLabelColumnName, out var predicted) && predicted.IsKey && predicted.Kind == SchemaShape.Column.VectorKind.Scalar)
                predictedAnnotations = predicted.Annotations;
        }
        var added = new[]
        {
            new SchemaShape.Column(scoreColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, scoreAnnotations),
            new SchemaShape.Column(predictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, predictedAnnotations),
        };
        return new SchemaShape(inputSchema.Concat(added));
    }
}
