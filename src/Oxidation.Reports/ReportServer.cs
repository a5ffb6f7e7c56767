using System.Net;
using System.Net.Sockets;
using System.Text;
using Oxidation.Reports.Writers;
using Oxidation.Store;

namespace Oxidation.Reports;

/// <summary>A port that cannot be listened on; the message says which and why.</summary>
public sealed class ServeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Serves the report on the loopback addresses (127.0.0.1 and [::1]), read live from the database: each request checks
/// whether the database changed and rebuilds the report if it did (opening it read-only), so a scan or import run
/// meanwhile shows on the next reload. A request must name this machine as its Host (127.0.0.1, localhost or [::1] on
/// the port): a page elsewhere cannot read the report by rebinding its own name to 127.0.0.1.
/// </summary>
/// <remarks>
/// A small HTTP/1.1 server of its own (GET and HEAD, one request per connection): HttpListener on Linux cannot listen on
/// an IPv6 literal ("Invalid port in prefix") and matches the Host header only against the prefixes of the address a
/// connection arrived on, so http://localhost:PORT/ got 404 (issue 10).
/// </remarks>
public sealed class ReportServer : IDisposable
{
    private const int MaxHead = 16 * 1024;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<TcpListener> _listeners;
    private readonly string _database;
    private readonly Action<string>? _log;
    private readonly HashSet<string> _hosts;

    private ReportServer(string database, int port, IReadOnlyList<TcpListener> listeners, Action<string>? log)
    {
        _database = database;
        _log = log;
        Port = port;
        _listeners = listeners;
        _hosts = new HashSet<string>(["127.0.0.1", "localhost", "[::1]"], StringComparer.OrdinalIgnoreCase);
        foreach (var host in _hosts.ToList())
            _hosts.Add($"{host}:{port}");
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The address of the report.</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>
    /// Starts listening on 127.0.0.1 and, where the system has IPv6, on [::1]; port 0 picks a free port. A busy port
    /// throws <see cref="ServeException"/>.
    /// </summary>
    public static ReportServer Start(string database, int port, Action<string>? log = null)
    {
        if (port is < 0 or > 65535)
            throw new ServeException($"port {port} is not a TCP port (0–65535)");
        var v4 = new TcpListener(IPAddress.Loopback, port);
        try
        {
            v4.Start();
        }
        catch (SocketException ex)
        {
            v4.Dispose();
            throw new ServeException($"127.0.0.1:{port} is busy ({ex.Message}); choose another port with --port", ex);
        }
        port = ((IPEndPoint)v4.LocalEndpoint).Port;
        var listeners = new List<TcpListener> { v4 };
        if (Socket.OSSupportsIPv6)
        {
            var v6 = new TcpListener(IPAddress.IPv6Loopback, port);
            try
            {
                v6.Start();
                listeners.Add(v6);
            }
            catch (SocketException ex)
            {
                v6.Dispose();
                log?.Invoke($"oxidation: note: [::1]:{port} cannot be listened on ({ex.Message}); serving on 127.0.0.1 only");
            }
        }
        return new ReportServer(database, port, listeners, log);
    }

    /// <summary>Answers requests until <paramref name="cancel"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        using var registration = cancel.Register(Dispose);
        await Task.WhenAll(_listeners.Select(l => AcceptAsync(l, cancel))).ConfigureAwait(false);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancel).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || cancel.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection reset before it was accepted, or out of descriptors for a moment: keep serving.
                _log?.Invoke($"oxidation: note: accept failed ({ex.Message})");
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false); // not a busy loop if it persists
                continue;
            }
            _ = Task.Run(() => AnswerAsync(client), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var timeout = new CancellationTokenSource(ReadTimeout);
                var head = await ReadHeadAsync(stream, timeout.Token).ConfigureAwait(false);
                if (head is null)
                {
                    await SendAsync(stream, 431, "text/plain; charset=utf-8", "request head too large\n", head: false).ConfigureAwait(false);
                    return;
                }
                var (method, path, status, type, text) = Respond(head);
                await SendAsync(stream, status, type, text, head: method == "HEAD").ConfigureAwait(false);
                _log?.Invoke($"{method} {path} {status}");
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or sent nothing in time: nothing to answer.
            }
        }
    }

    /// <summary>The request line and headers up to the blank line; null when they exceed <see cref="MaxHead"/>.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancel)
    {
        var buffer = new byte[MaxHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancel).ConfigureAwait(false);
            if (read == 0)
                throw new IOException("connection closed before the end of the request head");
            var scanFrom = Math.Max(0, length - 3);
            length += read;
            var end = buffer.AsSpan(scanFrom, length - scanFrom).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
                return Encoding.Latin1.GetString(buffer, 0, scanFrom + end);
        }
        return null;
    }

    private (string Method, string Path, int Status, string Type, string Text) Respond(string head)
    {
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        const string plain = "text/plain; charset=utf-8";
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            return ("?", "?", 400, plain, "bad request line\n");
        var (method, target) = (parts[0], parts[1]);
        var host = lines.Skip(1).Select(l => l.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Host", StringComparison.OrdinalIgnoreCase))
            .Select(h => h[1].Trim()).FirstOrDefault();
        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme == Uri.UriSchemeHttp)
            (host, target) = (absolute.Authority, absolute.PathAndQuery); // absolute-form (RFC 9112 3.2.2) names the host itself
        var path = Uri.UnescapeDataString(target.Split('?', '#')[0]);
        if (host is null || !_hosts.Contains(host))
            return (method, path, 421, plain, $"this server answers only for 127.0.0.1, localhost and [::1] on port {Port}, not for '{host}'\n");
        if (method is not ("GET" or "HEAD"))
            return (method, path, 405, plain, "only GET and HEAD\n");
        if (!path.StartsWith('/'))
            return (method, path, 400, plain, "bad request target\n");
        try
        {
            if (path == "/")
                path = "/index.html";
            var (text, type) = Lookup(path.TrimStart('/'));
            return text is null
                ? (method, path, 404, plain, $"not found: {path} (the report is at /)\n")
                : (method, path, 200, type, text);
        }
        catch (Exception ex) when (ex is StoreException or IOException or InvalidOperationException)
        {
            return (method, path, 500, plain, $"cannot build the report: {ex.Message}\n");
        }
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

    private static async Task SendAsync(NetworkStream stream, int status, string type, string text, bool head)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var reason = status switch
        {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            421 => "Misdirected Request",
            431 => "Request Header Fields Too Large",
            _ => "Internal Server Error",
        };
        var header = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n"
            + (status == 405 ? "Allow: GET, HEAD\r\n" : "") + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header)).ConfigureAwait(false);
        if (!head)
            await stream.WriteAsync(body).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        foreach (var listener in _listeners)
            listener.Dispose();
    }
}
