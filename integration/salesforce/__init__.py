"""The only place that knows Salesforce URLs, tokens and JSON shapes."""
