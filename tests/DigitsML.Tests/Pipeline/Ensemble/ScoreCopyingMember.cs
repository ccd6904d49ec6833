// ScoreCopyingMember.cs — a stand-in ensemble member whose "Score" is a column of hand-made probabilities, for exact vote tests.
using DigitsML.Data;

namespace DigitsML.Tests.Pipeline.Ensemble;

/// <summary>Fits to a transformer that copies <c>inputColumnName</c> (a Vector&lt;Single, K&gt; of probabilities) into
/// "Score", optionally with slot names, so the ensemble's arithmetic can be checked row by row without training.</summary>
internal sealed class ScoreCopyingMember(string inputColumnName, string[]? classNames = null) : IEstimator<ITransformer>, ITransformer
{
    public ITransformer Fit(IDataView input) => this;

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => new(inputSchema.Append(new SchemaShape.Column(
        DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
        new SchemaShape(classNames is null ? [] : [new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]))));

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => new Mapper(inputSchema, inputColumnName, classNames).OutputSchema();

    public IDataView Transform(IDataView input) => new MappedDataView(input, new Mapper(input.Schema, inputColumnName, classNames));

    private sealed class Mapper(DataViewSchema inputSchema, string name, string[]? classNames) : RowMapper(inputSchema)
    {
        private readonly DataViewSchema.Column source = inputSchema[name];

        internal override IReadOnlyList<(string Name, DataViewType Type, DataViewSchema.Annotations Annotations)> Added =>
            [(DefaultColumnNames.Score, source.Type, SlotNames())];

        private DataViewSchema.Annotations SlotNames()
        {
            if (classNames is null)
                return DataViewSchema.Annotations.Empty;
            var text = classNames.Select(n => n.AsMemory()).ToArray();
            var builder = new DataViewSchema.Annotations.Builder();
            builder.AddSlotNames(text.Length, (ref VBuffer<ReadOnlyMemory<char>> value) => VBuffer<ReadOnlyMemory<char>>.Assign(ref value, text));
            return builder.ToAnnotations();
        }

        internal override IEnumerable<DataViewSchema.Column> Dependencies(int added) => [source];

        internal override Delegate MakeGetter(DataViewRow input, int added) => input.GetGetter<VBuffer<float>>(source);
    }
}
