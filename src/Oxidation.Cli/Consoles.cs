using System.CommandLine;
using DuckDB.NET.Data;
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
    /// Runs <paramref name="action"/> on the database. A writing command (the default) creates or migrates it as needed.
    /// With <paramref name="readOnly"/> (commands that only read: report, serve, check, cves stats/show/list/affecting)
    /// a missing file is an error and is not created, and the file is opened read-only, so a read-only file can be read
    /// (an older database is migrated first when its file can be written).
    /// </summary>
    public static int With(ParseResult parse, Func<OxidationDatabase, int> action, bool readOnly = false)
    {
        var path = parse.GetValue(CommandLine.Database)!.FullName;
        try
        {
            using var db = readOnly ? OxidationDatabase.OpenReadOnly(path, migrate: true) : OxidationDatabase.Open(path);
            return action(db);
        }
        catch (StoreException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.Database;
        }
        catch (DuckDBException ex)
        {
            // The file opened but a read failed (a corrupt block, a vanished file): the database, not the input.
            Consoles.Fail($"{path}: cannot read the database ({ex.Message.Split('\n')[0].Trim()})");
            return ExitCodes.Database;
        }
    }
}
