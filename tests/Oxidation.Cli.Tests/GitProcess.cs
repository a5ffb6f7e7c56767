using System.Diagnostics;

namespace Oxidation.Cli.Tests;

/// <summary>
/// Runs git for the tests that build repositories: fixed author and committer dates, no user or system configuration,
/// so commit ids depend only on what the test writes. Fails the test (with git's error) when git fails.
/// </summary>
internal static class GitProcess
{
    /// <summary>Runs <c>git ARGS</c> in <paramref name="directory"/> at <paramref name="date"/> and returns its trimmed standard output.</summary>
    public static string Run(string directory, string date, params string[] args) => Run(directory, date, null, args);

    /// <summary>As <see cref="Run(string, string, string[])"/>, committing as <paramref name="identity"/> (author and committer).</summary>
    public static string Run(string directory, string date, (string Name, string Email)? identity, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["GIT_AUTHOR_DATE"] = date;
        start.Environment["GIT_COMMITTER_DATE"] = date;
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        if (identity is { } who)
        {
            start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = who.Name;
            start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = who.Email;
        }
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} in {directory}: {error}");
        return output.Result.Trim();
    }
}
