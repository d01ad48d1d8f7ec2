namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>An <see cref="StudioHost"/> whose engine takes 100 ms a step, so that tests about dropping a stream
/// mid-run have a run to drop.</summary>
public sealed class PacedApiServer() : StudioHost(new StudioHostOptions { StepPause = TimeSpan.FromMilliseconds(100) });
