// VotingEnsembleDataView.cs — the view a VotingEnsembleTransformer gives: reads every member's Score in lockstep and votes row by row.
using DigitsML.Data;

namespace DigitsML.Trainers;

/// <summary>The source's columns plus the ensemble's score and predicted label. A cursor that reads either opens one
/// cursor on the source (for the columns passed through) and one on each member's view (for its score only), moves
/// them together and combines the scores of the current row; each member view scores in its own batches, so memory
/// stays at a batch per member. A cursor that reads neither passes the source's rows straight through.</summary>
/// <remarks>Rows cannot be shuffled: the lockstep cursors must see the source's rows in the same order, which a
/// random order drawn separately for each would break.</remarks>
internal sealed class VotingEnsembleDataView(IDataView source, IDataView[] members, DataViewSchema.Column[] memberScores,
    VotingKind voting, DataViewSchema schema) : IDataView
{
    private readonly IDataView source = source;
    private readonly IDataView[] members = members;
    private readonly DataViewSchema.Column[] memberScores = memberScores;
    private readonly VotingKind voting = voting;

    public DataViewSchema Schema => schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorBase.ActiveFlags(Schema, columnsNeeded);
        int passed = source.Schema.Count;
        var columns = Schema.Where(c => active[c.Index]).ToList();
        // rand is ignored, as CanShuffle says.
        var input = source.GetRowCursor(source.Schema.Where(c => active[c.Index]));
        if (!active[passed] && !active[passed + 1])
            return new Unscored(Schema, columns, input);
        var cursors = new List<DataViewRowCursor>(members.Length);
        try
        {
            for (int i = 0; i < members.Length; i++)
                cursors.Add(members[i].GetRowCursor([memberScores[i]]));
            return new VotingCursor(this, columns, input, [.. cursors]);
        }
        catch
        {
            foreach (var c in cursors)
                c.Dispose();
            input.Dispose();
            throw;
        }
    }

    private sealed class Unscored(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columns, DataViewRowCursor input)
        : PassThroughCursor(schema, columns, input)
    {
        protected override bool MoveNextCore() => Input.MoveNext();
    }

    private sealed class VotingCursor : CursorBase
    {
        private readonly DataViewRowCursor input;
        private readonly DataViewRowCursor[] cursors;
        private readonly ValueGetter<VBuffer<float>>[] readScores;
        private readonly VotingKind voting;
        private readonly int classes, passed;
        private readonly float[] memberScores, score, sums;
        private VBuffer<float> row;
        private int predicted;

        internal VotingCursor(VotingEnsembleDataView view, IEnumerable<DataViewSchema.Column> columns, DataViewRowCursor input,
            DataViewRowCursor[] cursors) : base(view.Schema, columns)
        {
            this.input = input;
            this.cursors = cursors;
            voting = view.voting;
            passed = view.source.Schema.Count;
            classes = ((VectorDataViewType)view.Schema[passed].Type).Size;
            readScores = [.. cursors.Select((c, i) => c.GetGetter<VBuffer<float>>(view.memberScores[i]))];
            // memberScores: (M, K), one row of every member's probabilities.
            memberScores = new float[cursors.Length * classes];
            score = new float[classes];
            sums = new float[classes];
        }

        protected override bool MoveNextCore()
        {
            bool more = input.MoveNext();
            for (int m = 0; m < cursors.Length; m++)
            {
                // A member that adds or drops rows would pair scores with the wrong rows: refuse rather than misalign.
                if (cursors[m].MoveNext() != more)
                    throw new InvalidOperationException(
                        $"Ensemble member {m} gave {(more ? "fewer" : "more")} rows than its input; members must score every row once, in order.");
            }
            if (!more)
                return false;
            for (int m = 0; m < cursors.Length; m++)
            {
                readScores[m](ref row);
                if (row.Length != classes)
                    throw new InvalidOperationException($"Ensemble member {m} gave {row.Length} scores in row {input.Position}; the ensemble votes over {classes} classes.");
                row.CopyTo(memberScores.AsSpan(m * classes, classes));
            }
            predicted = VotingEnsembleCombiner.Combine(voting, memberScores, score, sums);
            return true;
        }

        protected override Delegate MakeGetter(int column)
        {
            if (column == passed)
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => VBuffer<float>.Assign(ref value, score));
            if (column == passed + 1)
                return (ValueGetter<uint>)((ref uint value) => value = (uint)predicted + 1);
            return Getters.Untyped(input, input.Schema[column]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !Disposed)
            {
                foreach (var c in cursors)
                    c.Dispose();
                input.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
