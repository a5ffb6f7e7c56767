using System.CommandLine;
using Oxidation.Store;
using Spectre.Console;

namespace Oxidation.Cli;

/// <summary>Exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Partial = 1;
    public const int BadInput = 2;
    public const int Database = 3;
}

/// <summary>Standard output and standard error as Spectre consoles.</summary>
internal static class Consoles
{
    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>A fatal error: one plain line on standard error, never wrapped, so scripts can read it.</summary>
    public static void Fail(string message) => Console.Error.WriteLine($"oxidation: error: {message}");
}

/// <summary>Opens the database of <c>--db</c> for a command and turns its failures into one line and exit code 3.</summary>
internal static class Databases
{
    /// <summary>
    /// Runs <paramref name="action"/> on the database (created or migrated as needed). With <paramref name="mustExist"/>,
    /// a missing file is an error and is not created (commands that only read: report, serve, check).
    /// </summary>
    public static int With(ParseResult parse, Func<OxidationDatabase, int> action, bool mustExist = false)
    {
        var path = parse.GetValue(CommandLine.Database)!.FullName;
        if (mustExist && !File.Exists(path))
        {
            Consoles.Fail($"{path}: no such database (run oxidation scan or oxidation cves import first, or give --db)");
            return ExitCodes.Database;
        }
        try
        {
            using var db = OxidationDatabase.Open(path);
            return action(db);
        }
        catch (StoreException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.Database;
        }
    }
}
