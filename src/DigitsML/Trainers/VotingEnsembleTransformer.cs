// VotingEnsembleTransformer.cs — what VotingEnsembleEstimator.Fit returns: one voting ONNX graph in ML.NET's transformers,
// with each member's own fitted model beside it.
using Microsoft.ML;

namespace DigitsML.Trainers;

/// <summary>A fitted voting ensemble. It scores and saves like a <see cref="CnnTransformer"/> (the members' voting graph
/// is one ONNX model inside ML.NET's transformers); <see cref="Members"/> are the members' own fitted models, for their
/// own metrics. Disposing the ensemble disposes them.</summary>
public sealed class VotingEnsembleTransformer : DigitsModel
{
    internal VotingEnsembleTransformer(ITransformer scorer, byte[] onnxModel, IReadOnlyList<string> classNames, string featureColumnName,
        IReadOnlyList<DigitsModel> members, VotingKind voting)
        : base(scorer, onnxModel, classNames, featureColumnName)
    {
        Members = members;
        Voting = voting;
    }

    /// <summary>Each member's fitted model (a <see cref="CnnTransformer"/>, or a nested ensemble), in voting order.</summary>
    public IReadOnlyList<DigitsModel> Members { get; }

    /// <summary>How the members vote.</summary>
    public VotingKind Voting { get; }

    private protected override void DisposeMembers()
    {
        foreach (var member in Members)
            member.Dispose();
    }
}
