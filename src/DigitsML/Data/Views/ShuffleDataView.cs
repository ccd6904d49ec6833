// ShuffleDataView.cs — rows in a random order, streaming through a pool of rows (ml.Data.ShuffleRows).
namespace DigitsML.Data;

/// <summary>ML.NET's pool shuffle: the first <paramref name="poolSize"/> rows fill a pool; each step serves a random
/// row of the pool and refills its place with the next source row. Memory stays at one pool; a pool at least as
/// large as the data gives a uniform permutation. With <paramref name="shuffleSource"/>, a source that can shuffle
/// is also asked for a random order. A cursor asked without a <see cref="Random"/> uses one seeded from
/// <paramref name="seed"/>, so every pass gives the same order.</summary>
internal sealed class ShuffleDataView(IDataView source, int seed, int poolSize, bool shuffleSource) : IDataView
{
    private readonly int poolSize = poolSize;

    public DataViewSchema Schema => source.Schema;

    public bool CanShuffle => true;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var random = rand ?? new Random(seed);
        var input = source.GetRowCursor(needed, shuffleSource && source.CanShuffle ? new Random(random.Next()) : null);
        return new Cursor(this, needed, input, random);
    }

    private sealed class Cursor : CursorBase
    {
        private readonly DataViewRowCursor input;
        private readonly (ColumnStore Store, int Column)[] stores;
        private readonly Random random;
        private readonly int poolSize;
        private readonly List<int> pool = [];
        private bool started, inputLeft = true;
        private int current = -1;

        internal Cursor(ShuffleDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded, DataViewRowCursor input, Random random)
            : base(view.Schema, columnsNeeded)
        {
            this.input = input;
            this.random = random;
            poolSize = view.poolSize;
            stores = [.. view.Schema.Where(c => Active[c.Index]).Select(c => (ColumnStore.Create(c.Type), c.Index))];
            foreach (var (store, column) in stores)
                store.Bind(input, input.Schema[column]);
        }

        private bool Pull(int slot)
        {
            if (!inputLeft || !input.MoveNext())
                return inputLeft = false;
            foreach (var (store, _) in stores)
                store.Store(slot);
            pool.Add(slot);
            return true;
        }

        protected override bool MoveNextCore()
        {
            if (!started)
            {
                started = true;
                while (pool.Count < poolSize && Pull(pool.Count)) { }
            }
            else if (current >= 0)
            {
                // The slot just served is free now: the next source row takes it.
                Pull(current);
            }
            if (pool.Count == 0)
                return false;
            int pick = random.Next(pool.Count);
            current = pool[pick];
            pool[pick] = pool[^1];
            pool.RemoveAt(pool.Count - 1);
            return true;
        }

        protected override Delegate MakeGetter(int column) =>
            Array.Find(stores, s => s.Column == column).Store.MakeGetter(() => current);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !Disposed)
                input.Dispose();
            base.Dispose(disposing);
        }
    }
}
