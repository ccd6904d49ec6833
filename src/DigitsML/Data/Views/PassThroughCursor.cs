// PassThroughCursor.cs — a cursor that reads every column from an input cursor of the same schema.
namespace DigitsML.Data;

/// <summary>Serves the input cursor's values unchanged; subclasses decide which input rows become rows
/// (<c>MoveNextCore</c>). The input cursor is disposed with this one.</summary>
internal abstract class PassThroughCursor : CursorBase
{
    protected PassThroughCursor(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded, DataViewRowCursor input)
        : base(schema, columnsNeeded) => Input = input;

    protected DataViewRowCursor Input { get; }

    protected override Delegate MakeGetter(int column) => Getters.Untyped(Input, Input.Schema[column]);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !Disposed)
            Input.Dispose();
        base.Dispose(disposing);
    }
}
