"""Reference functions-framework targets that CoffeeBuddy's cold start is compared with."""
