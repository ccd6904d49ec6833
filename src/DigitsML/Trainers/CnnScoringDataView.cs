// CnnScoringDataView.cs — the view a CnnTransformer gives: scores rows in batches through the network as a cursor moves.
using DigitsML.Data;
using DigitsML.Engine;

namespace DigitsML.Trainers;

/// <summary>The source's columns plus Score and PredictedLabel. A cursor that reads either of them pulls up to
/// <see cref="CnnTransformer.ScoringBatchSize"/> rows at a time from the source, keeping their active columns in
/// memory, and runs one forward pass per batch; a cursor that reads neither passes rows straight through.</summary>
internal sealed class CnnScoringDataView(IDataView source, CnnTransformer transformer, DataViewSchema.Column features, DataViewSchema schema)
    : IDataView
{
    private readonly IDataView source = source;
    private readonly CnnTransformer transformer = transformer;
    private readonly DataViewSchema.Column features = features;

    public DataViewSchema Schema => schema;

    public bool CanShuffle => source.CanShuffle;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorBase.ActiveFlags(Schema, columnsNeeded);
        int passed = source.Schema.Count;
        var needed = Enumerable.Range(0, passed).Where(i => active[i]).ToList();
        bool scoring = active[passed] || active[passed + 1];
        if (scoring && !needed.Contains(features.Index))
            needed.Add(features.Index);
        var input = source.GetRowCursor(needed.Select(i => source.Schema[i]), rand);
        var columns = Schema.Where(c => active[c.Index]);
        return scoring ? new ScoringCursor(this, columns, input) : new Unscored(Schema, columns, input);
    }

    private sealed class Unscored(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columns, DataViewRowCursor input)
        : PassThroughCursor(schema, columns, input)
    {
        protected override bool MoveNextCore() => Input.MoveNext();
    }

    private sealed class ScoringCursor : CursorBase
    {
        private readonly DataViewRowCursor input;
        private readonly Network network;
        private readonly (ColumnStore Store, int Column)[] stores;
        private readonly ValueGetter<VBuffer<float>> readFeatures;
        private readonly string featureName;
        private readonly int elements, classes, passed;
        private float[] batch = [];
        private float[] probabilities = [];
        private VBuffer<float> row;
        private int count, index = -1;

        internal ScoringCursor(CnnScoringDataView view, IEnumerable<DataViewSchema.Column> columns, DataViewRowCursor input)
            : base(view.Schema, columns)
        {
            this.input = input;
            network = view.transformer.Network;
            elements = network.InputElements;
            classes = network.Classes;
            passed = view.source.Schema.Count;
            featureName = view.features.Name;
            readFeatures = input.GetGetter<VBuffer<float>>(view.features);
            stores = [.. Enumerable.Range(0, passed).Where(i => Active[i]).Select(i => (ColumnStore.Create(view.source.Schema[i].Type), i))];
            foreach (var (store, column) in stores)
                store.Bind(input, input.Schema[column]);
        }

        protected override bool MoveNextCore()
        {
            if (++index < count)
                return true;
            count = 0;
            index = 0;
            while (count < CnnTransformer.ScoringBatchSize && input.MoveNext())
            {
                foreach (var (store, _) in stores)
                    store.Store(count);
                readFeatures(ref row);
                if (row.Length != elements)
                    throw new InvalidOperationException(
                        $"Row {input.Position} of feature column '{featureName}' has {row.Length} values; the network takes {elements}.");
                CnnTrainingData.RequireFinite(row.GetValues(), featureName, input.Position);
                if (batch.Length < (count + 1) * elements)
                    Array.Resize(ref batch, Math.Min(CnnTransformer.ScoringBatchSize, Math.Max(16, 2 * (count + 1))) * elements);
                row.CopyTo(batch.AsSpan(count * elements, elements));
                count++;
            }
            if (count == 0)
                return false;
            // batch: (count, C, H, W) flattened -> probabilities: (count, classes)
            probabilities = network.Forward(batch.AsSpan(0, count * elements), count);
            return true;
        }

        protected override Delegate MakeGetter(int column)
        {
            if (column == passed)
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                    VBuffer<float>.Assign(ref value, probabilities.AsSpan(index * classes, classes)));
            if (column == passed + 1)
                return (ValueGetter<uint>)((ref uint value) => value = (uint)MulticlassEvaluator.ArgMax(probabilities.AsSpan(index * classes, classes)) + 1);
            return Array.Find(stores, s => s.Column == column).Store.MakeGetter(() => index);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !Disposed)
                input.Dispose();
            base.Dispose(disposing);
        }
    }
}
