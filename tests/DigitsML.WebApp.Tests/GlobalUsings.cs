// GlobalUsings.cs — namespaces every test file uses.
global using NUnit.Framework;
