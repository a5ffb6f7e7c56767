namespace Oxidation.Cli.Tests.BadInput;

/// <summary>
/// Command lines the parser refuses, across commands (issue 10, item 18): exit 2 (bad input, never 1, which means
/// partial), one <c>oxidation: error:</c> line naming what is wrong, and a hint line pointing at the command's help.
/// </summary>
public sealed class UsageBadInputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-usage-");

    public void Dispose() => _work.Delete(recursive: true);

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_work.FullName, args);

    [Theory]
    [InlineData("Required argument missing for command: 'scan'", "see oxidation scan --help", "scan")]
    [InlineData("Unrecognized command or argument 'bogus'", "see oxidation --help", "bogus")]
    [InlineData("Required command was not provided", "see oxidation --help")]
    [InlineData("Required command was not provided", "see oxidation cves --help", "cves")]
    [InlineData("-j abc: not a whole number", "see oxidation scan --help", "scan", "-j", "abc", "tree")]
    [InlineData("--jobs 1.5: not a whole number", "see oxidation scan --help", "scan", "tree", "--jobs", "1.5")]
    [InlineData("--since abc: not a whole number", "see oxidation cves list --help", "cves", "list", "--since", "abc")]
    [InlineData("--port http: not a whole number", "see oxidation serve --help", "serve", "--port", "http")]
    [InlineData("unknown option '--bogus'", "see oxidation scan --help", "scan", "--bogus", "tree")]
    [InlineData("unknown option '--bogus'", "see oxidation scan --help", "scan", "--bogus")]
    [InlineData("-j abc: not a whole number", "see oxidation scan --help", "scan", "-j", "abc", "--bogus")] // the earliest word first
    [InlineData("Unrecognized command or argument '--bogus'", "see oxidation report --help", "report", "--bogus")]
    [InlineData("Unrecognized command or argument 'extra.yaml'", "see oxidation check --help", "check", "claims.yaml", "extra.yaml")]
    public void Usage_errors_exit_2_with_one_error_line_and_a_hint(string error, string hint, params string[] args)
    {
        var (exit, stdout, stderr) = Run(args);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {error}\n{hint}\n", stderr);
        Assert.Equal("", stdout);
        // Nothing ran: no database was created.
        Assert.False(File.Exists(Path.Combine(_work.FullName, "oxidation.duckdb")));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("scan", "--help")]
    [InlineData("cves", "list", "-h")]
    [InlineData("report", "--help", "--bogus")]
    public void Help_still_works_and_exits_0(params string[] args)
    {
        var (exit, stdout, stderr) = Run(args);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Version_still_works_and_exits_0()
    {
        var (exit, stdout, stderr) = Run("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void A_path_starting_with_a_dash_is_given_as_dot_slash()
    {
        // The option check must not make such a path unreachable.
        Directory.CreateDirectory(Path.Combine(_work.FullName, "-tree"));
        var (exit, _, stderr) = Run("scan", "./-tree", "--no-store");
        Assert.Equal(2, exit);
        Assert.StartsWith($"oxidation: error: ", stderr);
        Assert.DoesNotContain("unknown option", stderr);
    }
}
