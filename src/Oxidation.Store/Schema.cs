namespace Oxidation.Store;

/// <summary>The tables of a scan (declared in <see cref="TableRegistry"/>). Every table is keyed by <c>release</c>.</summary>
internal static class Schema
{
    /// <summary>Tables holding one release's scan, in the order they are deleted and written.</summary>
    public static readonly string[] ScanTables = TableRegistry.Names(TableGroup.Scan);
}
