namespace Discovery.Core.Scaling.Alerts;

/// <summary>One threshold rule of the scaler config's <c>alerts:</c> list.</summary>
/// <param name="Name">Unique; the webhook event's <c>rule</c> and the metric label.</param>
/// <param name="Signal">What is compared (<see cref="AlertSignal"/>).</param>
/// <param name="App">The app the signal is about (not for <see cref="AlertSignal.RendererFailing"/>).</param>
/// <param name="Above">Fires while the signal's value is above this (instance CPU %, RSS MiB, requests/min, crash-looping instances; 0 for the yes/no signals).</param>
/// <param name="For">How long the condition must hold before the rule fires (and stay false before it resolves).</param>
/// <param name="Webhook">Where firing and resolved events are POSTed as JSON.</param>
internal sealed record AlertRule(string Name, AlertSignal Signal, string? App, double Above, TimeSpan For, Uri Webhook);
