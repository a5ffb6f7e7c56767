using System.Diagnostics;

namespace Oxidation.Cli.Tests;

/// <summary>Runs the command line as a user does: a separate process, its exit code and output.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Error) Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Oxidation.Cli.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The kernel CNA snapshot in shared/data beside the checkout.</summary>
    public static string Snapshot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "kernel-cna-cves-2026-08-21.tar.xz");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("kernel-cna-cves-2026-08-21.tar.xz not found in shared/data beside a parent directory");
    }
}
