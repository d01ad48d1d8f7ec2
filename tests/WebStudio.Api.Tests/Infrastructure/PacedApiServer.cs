namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>An <see cref="ApiServer"/> whose engine takes 100 ms a step, so that tests about dropping a stream
/// mid-run have a run to drop.</summary>
public sealed class PacedApiServer() : ApiServer(new Dictionary<string, string?>(), TimeSpan.FromMilliseconds(100));
