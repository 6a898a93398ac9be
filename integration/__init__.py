"""The sales app's Salesforce integration core: domain rules, services, adapter and store."""
