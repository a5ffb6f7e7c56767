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
