using System.CommandLine;

namespace Oxidation.Cli;

/// <summary>The command tree. Each command resolves its options once into an immutable record, then runs.</summary>
internal static class CommandLine
{
    /// <summary>The database option shared by every command.</summary>
    public static readonly Option<FileInfo> Database = new("--db")
    {
        Description = "The DuckDB database file results are stored in",
        DefaultValueFactory = _ => new FileInfo("oxidation.duckdb"),
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Oxidation: measures the state of Rust in the Linux kernel from primary data.");
        root.Options.Add(Database);
        root.Subcommands.Add(ScanCommand.Build());
        root.Subcommands.Add(CvesCommand.Build());
        root.Subcommands.Add(HistoryCommand.Build());
        root.Subcommands.Add(ReportCommands.Report());
        root.Subcommands.Add(ReportCommands.Serve());
        root.Subcommands.Add(ReportCommands.Check());
        return root;
    }
}
