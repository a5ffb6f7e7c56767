using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Oxidation.Git;
using Oxidation.History;
using Oxidation.Model;
using Oxidation.Rust;
using Oxidation.Store;
using Spectre.Console;

namespace Oxidation.Cli;

/// <summary><c>oxidation history REPO</c>: who writes, reviews and pays for Rust, release by release.</summary>
internal static class HistoryCommand
{
    public static Command Build()
    {
        var repository = new Argument<string>("repository") { Description = "A git clone of Linux (or any repository laid out like it)" };
        var since = new Option<string>("--since") { Description = "First release tag to mine", DefaultValueFactory = _ => "v6.1" };
        var until = new Option<string?>("--until") { Description = "Last release tag to mine (default: up to HEAD, the tail after the newest tag marked unreleased)" };
        var employers = new Option<FileInfo[]>("--employers") { Description = "Extra employer maps in gitdm's format (address-or-domain  Employer  [< yyyy-mm-dd]); later files win", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON to standard output" };
        var command = new Command("history", "Mine a git history: Rust changesets, lines, people, employers, review and the cost of two APIs, per release")
        {
            repository, since, until, employers, json,
        };
        command.SetAction(parse =>
        {
            var map = EmployerMap.Default();
            foreach (var file in parse.GetValue(employers) ?? [])
            {
                if (Directory.Exists(file.FullName))
                {
                    Consoles.Fail($"{file.FullName}: is a directory, not an employer map");
                    return ExitCodes.BadInput;
                }
                try
                {
                    map.Add(File.ReadAllText(file.FullName), file.FullName);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Consoles.Fail($"{file.FullName}: cannot read the employer map ({ex.Message})");
                    return ExitCodes.BadInput;
                }
                catch (EmployerMapException ex)
                {
                    Consoles.Fail(ex.Message);
                    return ExitCodes.BadInput;
                }
            }
            var path = Path.GetFullPath(parse.GetValue(repository)!);
            var options = new HistoryOptions(path, parse.GetValue(since)!, parse.GetValue(until), map);
            return Run(options, parse.GetValue(CommandLine.Database)!.FullName, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(HistoryOptions options, string database, bool json)
    {
        if (!Directory.Exists(options.Repository))
        {
            Consoles.Fail($"{options.Repository}: no such directory");
            return ExitCodes.BadInput;
        }
        try
        {
            options.Releases(); // a bad range is refused before the database is opened (or made)
        }
        catch (HistoryException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        var miner = new HistoryMiner(options, RustKnowledge.Default);
        var reattributed = default(Reattribution);
        void Note()
        {
            if (reattributed.Commits > 0)
                Console.Error.WriteLine($"oxidation: note: the employer map differs from the one the stored history was mined with: {reattributed.Commits:N0} stored commits re-attributed ({reattributed.Changed:N0} changed employer)");
            reattributed = default;
        }
        try
        {
            using var db = OxidationDatabase.Open(database);
            var state = HistoryStore.State(db, options.Repository);
            var watch = Stopwatch.StartNew();
            // Each segment is stored with the map it was mined with: the first re-attributes what earlier runs stored
            // with another map, in its transaction.
            void Mine(IProgress<(long Commits, string Release)>? progress) =>
                miner.Mine(state, segment => reattributed += HistoryStore.Save(db, options.Repository, segment, options.Employers), progress);
            if (Console.IsErrorRedirected)
            {
                Mine(null);
            }
            else
            {
                Consoles.Error.Progress().AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("mining").IsIndeterminate();
                        Mine(new Progress<(long Commits, string Release)>(p =>
                            task.Description = $"{p.Release}: {p.Commits:N0} commits, {p.Commits / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0}/s"));
                    });
            }
            // Nothing new to store (every release asked for is stored): the stored history is re-attributed on its own.
            reattributed += HistoryStore.Reattribute(db, options.Employers);
            Note();
            foreach (var warning in miner.Warnings)
                Console.Error.WriteLine($"oxidation: warning: {warning}");
            var (commits, lines, releases) = HistoryStore.Load(db);
            var report = HistoryStatistics.Compute(commits, lines, releases, miner.Partial);
            if (json)
            {
                using var stdout = Console.OpenStandardOutput();
                JsonSerializer.Serialize(stdout, report, ScanJson.Options);
                stdout.Write("\n"u8);
            }
            else
            {
                HistoryView.Render(Consoles.Out, report, HistoryStore.CommitCount(db));
            }
            return miner.Partial ? ExitCodes.Partial : ExitCodes.Ok;
        }
        catch (HistoryException ex)
        {
            Note();
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (StoreException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.Database;
        }
    }
}

/// <summary>The history tables, like LWN's development statistics, restricted to Rust.</summary>
internal static class HistoryView
{
    public static void Render(IAnsiConsole console, HistoryReport report, long commits)
    {
        console.MarkupLineInterpolated($"History: {commits:N0} commits mined; Rust changesets: {report.Releases.Sum(r => r.RustChangesets):N0}; unknown employer share {report.UnknownEmployerShare * 100:0.0}%{(report.Partial ? " (partial: shallow clone)" : "")}.");
        var releases = new Table().Title("Rust per release").AddColumns("Release", "Changesets", "Lines +/-", "Vendored +/-", "Authors", "Reviewed", "Other-employer review", "Unknown employer", "Rust+include commits", "Build fixes", "Kernel Rust code at tag");
        foreach (var r in report.Releases)
            releases.AddRow(Markup.Escape(r.Release + (r.Unreleased ? " (unreleased)" : "")), $"{r.RustChangesets:N0}", $"+{r.RustAdded:N0} -{r.RustRemoved:N0}",
                $"+{r.VendoredAdded:N0} -{r.VendoredRemoved:N0}", $"{r.Authors:N0}", P(r.ReviewedShare), P(r.ReviewedByOtherEmployerShare), P(r.UnknownEmployerShare),
                $"{r.DualApiCommits:N0}", $"{r.RustBuildFixes:N0}", $"{r.Lines.Where(l => l.Area != "vendored").Sum(l => l.Code):N0}");
        console.Write(releases);
        Top(console, "Most active Rust developers (changesets)", report.TopDevelopersByChangesets, lines: false);
        Top(console, "Most active Rust developers (lines changed)", report.TopDevelopersByLines, lines: true);
        Top(console, "Employers (Rust changesets)", report.Employers, lines: true);
        Top(console, "Reviewers and ackers (Rust changesets)", report.Reviewers, lines: false);
        Top(console, "Testers (Rust changesets)", report.Testers, lines: false);
        if (report.HeadersChangedWithRust.Count > 0)
        {
            var headers = new Table().Title("C headers changed together with rust/ (top 15)").AddColumns("Header", "Commits");
            foreach (var h in report.HeadersChangedWithRust.Take(15))
                headers.AddRow(Markup.Escape(h.Header), $"{h.Commits:N0}");
            console.Write(headers);
        }
    }

    private static void Top(IAnsiConsole console, string title, IReadOnlyList<HistoryCount> rows, bool lines)
    {
        if (rows.Count == 0)
            return;
        var table = new Table().Title(title).AddColumns("Name", "Changesets");
        if (lines)
            table.AddColumn("Lines changed");
        foreach (var r in rows.Take(15))
        {
            if (lines)
                table.AddRow(Markup.Escape(r.Name), $"{r.Changesets:N0}", $"{r.LinesChanged:N0}");
            else
                table.AddRow(Markup.Escape(r.Name), $"{r.Changesets:N0}");
        }
        console.Write(table);
    }

    private static string P(double share) => $"{share * 100:0.0}%";
}
