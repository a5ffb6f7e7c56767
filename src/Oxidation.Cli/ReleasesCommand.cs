using System.CommandLine;
using Oxidation.Git;
using Oxidation.Store;
using Oxidation.Tree;

namespace Oxidation.Cli;

/// <summary><c>oxidation releases REPO</c>: every release tag scanned from git objects and stored as a release.</summary>
internal static class ReleasesCommand
{
    public static Command Build()
    {
        var repository = new Argument<string>("repository") { Description = "A git clone of Linux (a work tree or a bare clone)" };
        var since = new Option<string>("--since") { Description = "First release tag to scan", DefaultValueFactory = _ => "v6.1" };
        var until = new Option<string?>("--until") { Description = "Last release tag to scan (default: the newest)" };
        var rc = new Option<bool>("--rc") { Description = "Also scan release candidates (vX.Y-rcN)" };
        var stable = new Option<bool>("--stable") { Description = "Also scan stable updates (vX.Y.Z)" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Threads reading and counting (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount, CustomParser = r => CommandLine.WholeNumber(r) ?? 0 };
        var command = new Command("releases", "Scan every release tag of a git clone (since v6.1) and store each as a release; a later run scans only new tags")
        {
            repository, since, until, rc, stable, jobs,
        };
        command.SetAction(parse =>
        {
            var options = new ReleasesOptions(Path.GetFullPath(parse.GetValue(repository)!), parse.GetValue(since)!, parse.GetValue(until),
                parse.GetValue(rc), parse.GetValue(stable), Math.Max(1, parse.GetValue(jobs)));
            return Run(options, parse.GetValue(CommandLine.Database)!.FullName);
        });
        return command;
    }

    private static int Run(ReleasesOptions options, string database)
    {
        if (!Directory.Exists(options.Repository))
        {
            Consoles.Fail($"{options.Repository}: no such directory");
            return ExitCodes.BadInput;
        }
        var scanner = new ReleaseScanner(options);
        try
        {
            scanner.Tags(); // a bad range or repository is refused before the database is opened (or made)
        }
        catch (SourceTreeException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        scanner.Warnings.Clear();
        scanner.Failures.Clear();
        var stored = 0;
        try
        {
            using var db = OxidationDatabase.Open(database);
            scanner.Scan(ScanStore.Sources(db), tag =>
            {
                ScanStore.Save(db, tag.Scan, tag.Cache);
                stored++;
            }, new Progress(line => Console.Error.WriteLine($"oxidation: {line}")), new FileResultStore(db));
        }
        catch (StoreException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.Database;
        }
        catch (SourceTreeException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        foreach (var warning in scanner.Warnings)
            Console.Error.WriteLine($"oxidation: warning: {warning}");
        foreach (var failure in scanner.Failures)
            Console.Error.WriteLine($"oxidation: error: {failure}");
        Console.WriteLine($"{stored} release{(stored == 1 ? "" : "s")} stored in {database}{(scanner.Failures.Count > 0 ? $"; {scanner.Failures.Count} tag{(scanner.Failures.Count == 1 ? "" : "s")} failed" : "")}");
        return scanner.Failures.Count > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    /// <summary>Progress lines written as they come (System.Progress would post them to the thread pool, out of order).</summary>
    private sealed class Progress(Action<string> write) : IProgress<string>
    {
        public void Report(string value) => write(value);
    }
}
