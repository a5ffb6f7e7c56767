using System.CommandLine;
using Oxidation.Model;
using Oxidation.Scanning;
using Oxidation.Store;
using Spectre.Console;

namespace Oxidation.Cli;

/// <summary>What <c>oxidation scan</c> was asked to do.</summary>
internal sealed record ScanCommandOptions(string Path, FileInfo Database, bool Json, bool Store, int Parallelism, bool Progress);

/// <summary><c>oxidation scan PATH</c>: inventory of a kernel tree, stored and printed.</summary>
internal static class ScanCommand
{
    public static Command Build()
    {
        var path = new Argument<string>("path") { Description = "A kernel source tree: a directory, a git work tree, or a .tar/.tar.gz/.tar.xz release tarball" };
        var json = new Option<bool>("--json") { Description = "Write the inventory as JSON to standard output (docs/json-schema.md)" };
        var noStore = new Option<bool>("--no-store") { Description = "Do not write the result to the database" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Threads reading and counting (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount, CustomParser = r => CommandLine.WholeNumber(r) ?? 0 };
        var command = new Command("scan", "Scan a kernel source tree: languages, Rust inventory, units and Kconfig, unsafe audit, C bindings, MAINTAINERS")
        {
            path, json, noStore, jobs,
        };
        command.SetAction(parse =>
        {
            var options = new ScanCommandOptions(
                parse.GetValue(path)!,
                parse.GetValue(CommandLine.Database)!,
                parse.GetValue(json),
                !parse.GetValue(noStore),
                Math.Max(1, parse.GetValue(jobs)),
                !Console.IsErrorRedirected);
            return Run(options);
        });
        return command;
    }

    public static int Run(ScanCommandOptions options)
    {
        ScanResult result;
        try
        {
            result = options.Progress ? WithProgress(options, Consoles.Error) : Scanner.Scan(new ScanOptions(options.Path, options.Parallelism));
        }
        catch (ScanException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        if (options.Store)
        {
            try
            {
                using var db = OxidationDatabase.Open(options.Database.FullName);
                ScanStore.Save(db, result);
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

    private static ScanResult WithProgress(ScanCommandOptions options, IAnsiConsole console)
    {
        ScanResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("listing files", maxValue: 1);
                result = Scanner.Scan(new ScanOptions(options.Path, options.Parallelism), new TaskProgress(task));
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
