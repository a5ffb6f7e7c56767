using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

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
        root.Subcommands.Add(ReleasesCommand.Build());
        root.Subcommands.Add(DiffCommand.Build());
        root.Subcommands.Add(MilestonesCommand.Build());
        root.Subcommands.Add(ImpactCommand.Impact());
        root.Subcommands.Add(CoverageCommand.Build());
        root.Subcommands.Add(ReportCommands.Report());
        root.Subcommands.Add(ReportCommands.Serve());
        root.Subcommands.Add(ReportCommands.Check());
        root.Subcommands.Add(ExportCommands.Export());
        root.Subcommands.Add(ExportCommands.Merge());
        RefuseOptionsAsArguments(root);
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. A usage error (missing argument, unknown option, a word where a number belongs) is
    /// bad input like any other: exit 2 with one <c>oxidation: error:</c> line and a hint, never the parser's help dump and
    /// its exit 1, which the README reserves for partial results.
    /// </summary>
    public static int Run(string[] args)
    {
        var parse = Build().Parse(args);
        // --help and --version clear parse errors; only the parser's own error action means the line was refused.
        if (parse.Action is not ParseErrorAction)
            return parse.Invoke();
        Consoles.Fail(FirstError(parse, args));
        Console.Error.WriteLine($"see {CommandPath(parse.CommandResult)} --help");
        return ExitCodes.BadInput;
    }

    /// <summary>
    /// The error to show: the one about the earliest word of the command line, since a word the parser did not
    /// recognise (<c>--bogus</c>) is the likelier cause than what it then found missing or left over.
    /// </summary>
    private static string FirstError(ParseResult parse, string[] args)
    {
        int Position(string message)
        {
            var at = Array.FindIndex(args, a => message.Contains($"'{a}'", StringComparison.Ordinal) || message.StartsWith(a + " ", StringComparison.Ordinal));
            return at < 0 ? int.MaxValue : at;
        }
        return parse.Errors.Select(e => e.Message.TrimEnd('.')).OrderBy(Position).First();
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is CommandResult c; r = c.Parent)
            names.Insert(0, c.Parent is null ? "oxidation" : c.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>
    /// System.CommandLine takes an unknown <c>--option</c> as the value of a positional argument (<c>scan --bogus</c> scans
    /// a path named --bogus); refuse such values everywhere. A path that starts with a dash is given as <c>./-name</c>.
    /// </summary>
    private static void RefuseOptionsAsArguments(Command command)
    {
        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result =>
            {
                foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
                    result.AddError($"unknown option '{token.Value}'");
            });
        }
        foreach (var sub in command.Subcommands)
            RefuseOptionsAsArguments(sub);
    }

    /// <summary>A whole-number option's value; a word is refused as <c>-j word: not a whole number</c>, named as typed.</summary>
    public static int? WholeNumber(ArgumentResult result)
    {
        var name = result.Parent is OptionResult o ? o.IdentifierToken?.Value ?? o.Option.Name : result.Argument.Name;
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        result.AddError($"{name} {text}: not a whole number");
        return null;
    }
}
