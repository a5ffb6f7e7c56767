using System.CommandLine;
using Oxidation.Git;
using Oxidation.Model;
using Oxidation.Scanning;
using Oxidation.Store;
using Oxidation.Tree;
using Spectre.Console;

namespace Oxidation.Cli;

/// <summary>What <c>oxidation scan</c> was asked to do.</summary>
internal sealed record ScanCommandOptions(string Path, FileInfo Database, bool Json, bool Store, int Parallelism, bool Progress, string? Rev = null);

/// <summary><c>oxidation scan PATH</c>: inventory of a kernel tree, stored and printed.</summary>
internal static class ScanCommand
{
    public static Command Build()
    {
        var path = new Argument<string>("path") { Description = "A kernel source tree: a directory, a git work tree, or a .tar/.tar.gz/.tar.xz release tarball" };
        var json = new Option<bool>("--json") { Description = "Write the inventory as JSON to standard output (docs/json-schema.md)" };
        var noStore = new Option<bool>("--no-store") { Description = "Do not write the result to the database" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Threads reading and counting (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount, CustomParser = r => CommandLine.WholeNumber(r) ?? 0 };
        var rev = new Option<string?>("--rev") { Description = "Scan the tree at this tag or commit of the git repository PATH, read from git objects (no checkout; a bare clone works)" };
        var command = new Command("scan", "Scan a kernel source tree: languages, Rust inventory, units and Kconfig, unsafe audit, C bindings, MAINTAINERS")
        {
            path, json, noStore, jobs, rev,
        };
        command.SetAction(parse =>
        {
            var options = new ScanCommandOptions(
                parse.GetValue(path)!,
                parse.GetValue(CommandLine.Database)!,
                parse.GetValue(json),
                !parse.GetValue(noStore),
                Math.Max(1, parse.GetValue(jobs)),
                !Console.IsErrorRedirected,
                parse.GetValue(rev));
            return Run(options);
        });
        return command;
    }

    public static int Run(ScanCommandOptions options)
    {
        // A git tree is scanned with the database's file cache when the database is there already: blobs counted by an
        // earlier scan --rev or releases are not read again. The cache is read through a read-only connection, so a
        // scan that fails leaves the database as it was (not even migrated), and no database is made just to look in
        // it; one that cannot be read that way (an older schema) is scanned without the cache.
        OxidationDatabase? lookup = null;
        ScanCache? cache = null;
        ScanResult result;
        try
        {
            if (options.Rev is not null && options.Store)
            {
                try
                {
                    if (options.Database.Exists)
                        lookup = OxidationDatabase.OpenReadOnly(options.Database.FullName);
                }
                catch (StoreException)
                {
                    // Storing below opens it for writing and says what is wrong, or migrates it.
                }
                // Without a database to look in, the results are still kept, to be stored with the scan.
                cache = new ScanCache(lookup is null ? new NothingStored() : new FileResultStore(lookup));
            }
            result = options.Progress ? WithProgress(options, cache, Consoles.Error) : Scan(options, cache, null);
        }
        catch (ScanException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (StoreException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.Database;
        }
        finally
        {
            lookup?.Dispose();
        }
        if (options.Store)
        {
            try
            {
                using var db = OxidationDatabase.Open(options.Database.FullName);
                ScanStore.Save(db, result, cache);
            }
            catch (StoreException ex)
            {
                Consoles.Fail(ex.Message);
                return ExitCodes.Database;
            }
        }
        if (options.Json)
        {
            using var stdout = Console.OpenStandardOutput();
            ScanJson.Write(stdout, result);
            stdout.Write("\n"u8);
        }
        else
        {
            ScanSummaryView.Render(Consoles.Out, result, options.Store ? options.Database.FullName : null);
        }
        return ExitCodes.Ok;
    }

    /// <summary>A database with no file results yet (a new one, or one this build cannot read before migrating it).</summary>
    private sealed class NothingStored : IFileResultStore
    {
        public IEnumerable<(string ContentId, string Name, FileResult Result)> Find(IReadOnlyCollection<(string ContentId, string Name)> files, string version) => [];
    }

    /// <summary>A path, or with <c>--rev</c> the tree of a commit of a repository (with <paramref name="cache"/>, the database's file cache, when given).</summary>
    private static ScanResult Scan(ScanCommandOptions options, ScanCache? cache, IProgress<ScanProgress>? progress)
    {
        if (options.Rev is null)
            return Scanner.Scan(new ScanOptions(options.Path, options.Parallelism), progress);
        GitSourceTree tree;
        try
        {
            tree = GitSourceTree.Open(options.Path, options.Rev);
        }
        catch (SourceTreeException ex)
        {
            throw new ScanException(ex.Message, ex);
        }
        return Scanner.Scan(tree, options.Parallelism, progress, cache);
    }

    private static ScanResult WithProgress(ScanCommandOptions options, ScanCache? cache, IAnsiConsole console)
    {
        ScanResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("listing files", maxValue: 1);
                result = Scan(options, cache, new TaskProgress(task));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Updates a progress bar from the reading threads (Spectre's tasks are thread-safe).</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value)
        {
            if (value.Total > 0)
            {
                task.MaxValue = value.Total;
                task.Value = Math.Min(value.Bytes, value.Total);
            }
            else
            {
                task.IsIndeterminate = true;
            }
            task.Description = $"{value.Files:N0} files, {value.Bytes / (1024 * 1024):N0} MiB";
        }
    }
}
