using System.Net;
using System.Net.Sockets;
using System.Text;
using Oxidation.Reports.Writers;
using Oxidation.Store;

namespace Oxidation.Reports;

/// <summary>A port that cannot be listened on; the message says which and why.</summary>
public sealed class ServeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Serves the report on 127.0.0.1, read live from the database: each request checks whether the database changed and
/// rebuilds the report if it did (opening it read-only), so a scan or import run meanwhile shows on the next reload.
/// </summary>
public sealed class ReportServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _database;
    private readonly Action<string>? _log;

    private ReportServer(string database, int port, Action<string>? log)
    {
        _database = database;
        _log = log;
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The address of the report.</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>Starts listening; port 0 picks a free port. A busy port throws <see cref="ServeException"/>.</summary>
    public static ReportServer Start(string database, int port, Action<string>? log = null)
    {
        if (port is < 0 or > 65535)
            throw new ServeException($"port {port} is not a TCP port (0–65535)");
        if (port == 0)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        // HttpListener on Linux reports a busy port only on the first request; ask the socket layer first.
        try
        {
            var check = new TcpListener(IPAddress.Loopback, port);
            check.Start();
            check.Stop();
        }
        catch (SocketException ex)
        {
            throw new ServeException($"127.0.0.1:{port} is busy ({ex.Message}); choose another port with --port", ex);
        }
        var server = new ReportServer(database, port, log);
        try
        {
            server._listener.Start();
        }
        catch (HttpListenerException ex)
        {
            server.Dispose();
            throw new ServeException($"cannot listen on 127.0.0.1:{port} ({ex.Message}); choose another port with --port", ex);
        }
        return server;
    }

    /// <summary>Answers requests until <paramref name="cancel"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        using var registration = cancel.Register(() => _listener.Stop());
        while (!cancel.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context), CancellationToken.None);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath ?? "/";
        var status = 200;
        try
        {
            if (path == "/")
                path = "/index.html";
            var (text, type) = Lookup(path.TrimStart('/'));
            if (text is null)
            {
                status = 404;
                Send(context.Response, 404, "text/plain; charset=utf-8", $"not found: {path} (the report is at /)\n");
            }
            else
            {
                Send(context.Response, 200, type, text);
            }
        }
        catch (Exception ex) when (ex is StoreException or IOException or InvalidOperationException)
        {
            status = 500;
            Send(context.Response, 500, "text/plain; charset=utf-8", $"cannot build the report: {ex.Message}\n");
        }
        _log?.Invoke($"{context.Request.HttpMethod} {path} {status}");
    }

    private (string? Text, string Type) Lookup(string relative)
    {
        if (relative == "favicon.ico")
            return (null, "");
        var files = Render();
        if (!files.TryGetValue(relative, out var text))
            return (null, "");
        var type = Path.GetExtension(relative) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".md" => "text/markdown; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".json" => "application/json",
            _ => "text/plain; charset=utf-8",
        };
        return (text, type);
    }

    private readonly Lock _gate = new();
    private (string Stamp, SortedDictionary<string, string> Files)? _cache;

    /// <summary>
    /// The report's files, rebuilt only when the database changed (its file or write-ahead log has another size or
    /// time): building takes seconds on a full database, and a page loads its charts and data many times.
    /// </summary>
    private SortedDictionary<string, string> Render()
    {
        lock (_gate)
        {
            var stamp = Stamp(_database) + "|" + Stamp(_database + ".wal");
            if (_cache is { } cached && cached.Stamp == stamp)
                return cached.Files;
            using var db = OxidationDatabase.OpenReadOnly(_database);
            var files = ReportWriter.Render(ReportBuilder.Build(db));
            _cache = (stamp, files);
            return files;
        }
    }

    private static string Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "-";
    }

    private static void Send(HttpListenerResponse response, int status, string type, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = bytes.Length;
        response.Headers["Cache-Control"] = "no-store";
        response.OutputStream.Write(bytes);
        response.Close();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => ((IDisposable)_listener).Dispose();
}
